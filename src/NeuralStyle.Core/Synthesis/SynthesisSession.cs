using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// One network on one device, loaded once, plus the style targets computed so far: a pipeline of
/// many images opens one session, so the network loads once and each style's targets are computed
/// once however many images use them. A session is one worker of the process's <see cref="ThreadBudget"/>
/// and is used by one thread at a time (one cmdlet invocation); parallel workers each open their own,
/// so nothing here is shared between threads.
/// </summary>
public sealed class SynthesisSession : IDisposable
{
    private readonly Dictionary<StyleTargetKey, CachedStyle> styles = [];
    private readonly IDisposable worker = ThreadBudget.Join();
    private readonly int? threadCount;

    private readonly Lazy<string> modelIdentity;

    private SynthesisSession(IFeatureNetwork network, NetworkProfile profile, string choice, string modelPath, int? threadCount)
    {
        Network = network;
        Profile = profile;
        ModelChoice = choice;
        this.threadCount = threadCount;
        // Hashed only when a checkpoint needs it, once per session (a 548 MB VGG19 file takes a second or two).
        modelIdentity = new(() => $"{network.Name}, {RunFingerprint.FileIdentity(modelPath)}");
    }

    /// <summary>The network and its weights file by content: part of a checkpoint's <see cref="RunFingerprint"/>.</summary>
    public string ModelIdentity => modelIdentity.Value;

    public IFeatureNetwork Network { get; }
    public NetworkProfile Profile { get; }

    /// <summary>Why this network was chosen, in words (for -Verbose).</summary>
    public string ModelChoice { get; }

    /// <summary>How many times this session computed style targets (a batch with one style computes them once).</summary>
    public int StyleTargetComputations { get; private set; }

    /// <summary>
    /// Loads the network <paramref name="model"/> names ("auto", a catalogue name or a weights file)
    /// on <paramref name="device"/>. VGG19 uses average pooling: smoother gradients, better textures (Gatys).
    /// </summary>
    /// <param name="threadCount">libtorch intra-op threads per item; null: the process's <see cref="ThreadBudget"/> decides.</param>
    public static SynthesisSession Open(string model, ComputeDevice device, CancellationToken cancellationToken = default, int? threadCount = null)
    {
        var torchDevice = TorchRuntime.Resolve(device);
        ThreadBudget.ForItem(threadCount); // a bad NEURALSTYLE_THREADS stops before the network loads
        var choice = new ModelResolver(ModelInventory.FromEnvironment()).Resolve(model, cancellationToken);
        IFeatureNetwork network = choice.Architecture == ModelCatalog.Vgg19Name
            ? Vgg19Network.Load(choice.Path, torchDevice, NetworkPooling.Average)
            : ResNet18Network.Load(choice.Path, torchDevice);
        var explanation = choice.Warning is null ? choice.Explanation : $"{choice.Explanation} Warning: {choice.Warning}";
        return new SynthesisSession(network, NetworkProfiles.For(network.Name), explanation, choice.Path, threadCount);
    }

    /// <summary>The check every input image passes (see <see cref="InputImages"/>), against this network's minimum size.</summary>
    public ImageHeader CheckInput(string path, ImageRole role) => InputImages.Check(path, role, Profile.MinimumSide);

    /// <summary>
    /// Every decision about <paramref name="request"/>, from the images' headers, before any work (see <see cref="SynthesisPlanner"/>),
    /// and its checkpoints: where they go or, resuming, the verified one it continues from (see <see cref="CheckpointPlan"/>).
    /// </summary>
    public SynthesisPlan Plan(SynthesisRequest request)
    {
        var plan = SynthesisPlanner.Plan(request, Profile);
        return request.Checkpoints is null ? plan : CheckpointPlan.Apply(plan, ModelIdentity);
    }

    /// <summary>
    /// Runs <paramref name="plan"/>. A transfer's styles are scaled to the plan's style size; their
    /// targets are cached by <see cref="SynthesisPlan.TargetKey"/>, so a batch with one style and
    /// output size computes them once (colour-preserving modes adapt the style to each content, so they cannot).
    /// </summary>
    /// <param name="targetsComputed">True when this call computed the style targets, false when they came from the cache.</param>
    public SynthesisResult Synthesize(SynthesisPlan plan, out bool targetsComputed, IProgress<SynthesisProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        using var threads = ThreadBudget.Lease(threadCount);
        using var scope = NewDisposeScope();
        // The phases before the first step report too: a large source spends seconds in them.
        if (plan.Request.Content is not null) progress?.Report(SynthesisProgress.Preparing(SynthesisPhase.ReadingInputs, plan.Stages.Count));
        using var content = plan.Request.Content is { } part ? LoadContent(part.Path, plan.Width, plan.Height) : null;
        var before = StyleTargetComputations;
        if (!styles.ContainsKey(plan.TargetKey)) progress?.Report(SynthesisProgress.Preparing(SynthesisPhase.ComputingStyleTargets, plan.Stages.Count));
        var style = Style(plan, content, cancellationToken);
        targetsComputed = StyleTargetComputations > before;
        return new Synthesizer(Network).Run(plan, style.Targets, style.MeanColour, content, progress, cancellationToken) with { Threads = threads.Threads };
    }

    /// <summary>The content at the output size, on the network's device.</summary>
    private RgbImage LoadContent(string path, int width, int height)
    {
        using var original = ImageCodec.Read(path);
        using var scope = NewDisposeScope();
        return new RgbImage(Resampler.Resize(original.Rgb.to(Network.Device), width, height),
            original.Alpha is null ? null : Resampler.Resize(original.Alpha.to(Network.Device), width, height), original.SourceBitDepth);
    }

    /// <summary>The styles as a transfer sees them: scaled to the output, recoloured when a colour-preserving mode asks.</summary>
    private RgbImage PrepareStyle(RgbImage style, Tensor content, int longSide, ColorPreservation mode)
    {
        var (w, h) = Resampler.ScaleTo(style.Width, style.Height, longSide);
        var scaled = Resampler.Resize(style.Rgb.to(Network.Device), w, h);
        var adapted = mode switch
        {
            ColorPreservation.Luminance => ColorSpace.MatchedLuminance(scaled, content),
            ColorPreservation.Histogram => ColorSpace.MatchHistogram(scaled, content),
            _ => scaled,
        };
        return new RgbImage(adapted);
    }

    /// <summary>A texture's source at <paramref name="scale"/> of its pixel size (-SourceScale).</summary>
    private RgbImage ScaleSource(RgbImage source, double scale)
    {
        var (w, h) = Resampler.ScaleBy(source.Width, source.Height, scale);
        return new RgbImage(Resampler.Resize(source.Rgb.to(Network.Device), w, h));
    }

    private CachedStyle Style(SynthesisPlan plan, RgbImage? content, CancellationToken cancellationToken)
    {
        if (styles.TryGetValue(plan.TargetKey, out var cached)) return cached;

        var sources = plan.Request.Styles;
        var images = new List<RgbImage>();
        try
        {
            foreach (var source in sources)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var image = ImageCodec.Read(source.Path);
                var prepared = plan.StyleLongSide is int side ? PrepareStyle(image, content!.Rgb, side, plan.TargetKey.PreserveColor)
                    : plan.TargetKey.SourceScale != 1.0 ? ScaleSource(image, plan.TargetKey.SourceScale)
                    : image;
                if (!ReferenceEquals(prepared, image)) image.Dispose();
                images.Add(prepared);
            }
            var weighted = sources.Zip(images, (s, i) => new StyleSource(i, s.Weight)).ToList();
            var targets = StyleTargets.Compute(Network, plan.StyleLayers, weighted, plan.Octaves, plan.Padding, plan.Request.StyleLoss, cancellationToken);
            StyleTargetComputations++;
            using var scope = NewDisposeScope();
            var total = weighted.Sum(w => w.Weight);
            var mean = weighted.Select(w => w.Image.Rgb.mean([0, 2, 3]).mul(w.Weight / total)).Aggregate((a, b) => a.add(b));
            cached = new CachedStyle(targets, mean.DetachFromDisposeScope());
            styles[plan.TargetKey] = cached;
            return cached;
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var style in styles.Values) style.Dispose();
        styles.Clear();
        Network.Dispose();
        worker.Dispose();
    }

    private sealed record CachedStyle(StyleTargets Targets, Tensor MeanColour) : IDisposable
    {
        public void Dispose()
        {
            Targets.Dispose();
            MeanColour.Dispose();
        }
    }
}
