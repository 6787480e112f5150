using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// One network on one device, loaded once, plus the style targets computed so far: a pipeline of
/// many images opens one session, so the network loads once and each style's targets are computed
/// once however many images use them.
/// </summary>
public sealed class SynthesisSession : IDisposable
{
    private readonly Dictionary<string, CachedStyle> styles = [];

    private SynthesisSession(IFeatureNetwork network, NetworkProfile profile, string choice)
    {
        Network = network;
        Profile = profile;
        ModelChoice = choice;
    }

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
    public static SynthesisSession Open(string model, ComputeDevice device, CancellationToken cancellationToken = default)
    {
        var torchDevice = TorchRuntime.Resolve(device);
        var choice = new ModelResolver(ModelInventory.FromEnvironment()).Resolve(model, cancellationToken);
        IFeatureNetwork network = choice.Architecture == ModelCatalog.Vgg19Name
            ? Vgg19Network.Load(choice.Path, torchDevice, NetworkPooling.Average)
            : ResNet18Network.Load(choice.Path, torchDevice);
        var explanation = choice.Warning is null ? choice.Explanation : $"{choice.Explanation} Warning: {choice.Warning}";
        return new SynthesisSession(network, NetworkProfiles.For(network.Name), explanation);
    }

    /// <summary>Largest octave count that both the sources and the output can hold, capped at <paramref name="preferred"/>.</summary>
    public int FittingOctaves(IEnumerable<(int Width, int Height)> sizes, int preferred) =>
        Math.Max(1, sizes.Select(s => GaussianPyramid.MaxOctaves(s.Width, s.Height, Profile.MinimumSide)).Append(preferred).Min());

    /// <summary>Style targets for these sources, computed on first use and cached for the session.</summary>
    public StyleTargets Targets(IReadOnlyList<WeightedSource> sources, int octaves, StyleLossKind kind, CancellationToken cancellationToken = default) =>
        Style(sources, octaves, kind, Profile.StyleLayers, cancellationToken).Targets;

    public SynthesisResult Texture(IReadOnlyList<WeightedSource> sources, TextureOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var style = Style(sources, options.Octaves, options.StyleLoss, options.StyleLayers ?? Profile.StyleLayers, cancellationToken);
        return new TextureSynthesizer(Network, Profile).Synthesize(style.Targets, style.MeanColour, options, progress, cancellationToken);
    }

    private CachedStyle Style(IReadOnlyList<WeightedSource> sources, int octaves, StyleLossKind kind, IReadOnlyList<StyleLayer> layers,
        CancellationToken cancellationToken)
    {
        // File size and time in the key: an edited source is a new style.
        var key = string.Join("|", sources.Select(s =>
        {
            var info = new FileInfo(s.Path);
            return $"{info.FullName}*{s.Weight}*{(info.Exists ? info.Length : -1)}*{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}";
        })) + $"|{octaves}|{kind}|{string.Join(",", layers)}";
        if (styles.TryGetValue(key, out var cached)) return cached;

        var images = new List<RgbImage>();
        try
        {
            foreach (var source in sources)
            {
                var image = ImageCodec.Read(source.Path);
                images.Add(image);
                GaussianPyramid.EnsureFits(image.Width, image.Height, octaves, Profile.MinimumSide, source.Path);
            }
            var weighted = sources.Zip(images, (s, i) => new StyleSource(i, s.Weight)).ToList();
            var targets = StyleTargets.Compute(Network, layers, weighted, octaves, cancellationToken, kind);
            StyleTargetComputations++;
            using var scope = NewDisposeScope();
            var total = weighted.Sum(w => w.Weight);
            var mean = weighted.Select(w => w.Image.Rgb.mean([0, 2, 3]).mul(w.Weight / total)).Aggregate((a, b) => a.add(b));
            cached = new CachedStyle(targets, mean.DetachFromDisposeScope());
            styles[key] = cached;
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
