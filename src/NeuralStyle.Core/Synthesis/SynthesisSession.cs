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

    public SynthesisResult Texture(IReadOnlyList<WeightedSource> sources, TextureOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var layers = options.StyleLayers ?? Profile.StyleLayers;
        var key = StyleKey(sources, $"texture|{options.Octaves}|{options.StyleLoss}|{string.Join(",", layers)}|{options.Tileable}");
        var style = Style(key, sources, image => image, options.Octaves, options.StyleLoss, layers, Padding(options.Tileable),
            cancellationToken);
        return new TextureSynthesizer(Network, Profile).Synthesize(style.Targets, style.MeanColour, options, progress, cancellationToken);
    }

    /// <summary>
    /// Styles <paramref name="contentPath"/>. The styles are scaled to <see cref="StyleTransferOptions.StyleScale"/>
    /// times the output's long side; their targets are cached, so a batch of contents with the same output
    /// size computes them once (colour-preserving modes adapt the style to each content, so they cannot).
    /// </summary>
    public SynthesisResult Transfer(string contentPath, IReadOnlyList<WeightedSource> styles, StyleTransferOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var original = ImageCodec.Read(contentPath);
        var (width, height) = Resampler.Fit(original.Width, original.Height, options.MaxSize);
        using var scope = NewDisposeScope();
        using var content = new RgbImage(Resampler.Resize(original.Rgb.to(Network.Device), width, height),
            original.Alpha is null ? null : Resampler.Resize(original.Alpha.to(Network.Device), width, height), original.SourceBitDepth);
        var styleLongSide = (int)Math.Round(options.StyleScale * Math.Max(width, height));
        var contentKey = options.PreserveColor == ColorPreservation.None ? "" : $"|{Path.GetFullPath(contentPath)}";
        var key = StyleKey(styles, $"transfer|{options.Octaves}|{options.StyleLoss}|{styleLongSide}|{options.PreserveColor}{contentKey}");
        var style = Style(key, styles, image => PrepareStyle(image, content.Rgb, styleLongSide, options.PreserveColor),
            options.Octaves, options.StyleLoss, Profile.StyleLayers, Padding(tileable: false), cancellationToken);
        return new StyleTransferer(Network, Profile).Transfer(content, style.Targets, options, progress, cancellationToken);
    }

    /// <summary>Synthesis never uses zero padding: its border statistics differ between a small pyramid level and a large one.</summary>
    internal static NetworkPadding Padding(bool tileable) => tileable ? NetworkPadding.Circular : NetworkPadding.Reflect;

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

    // File size and time in the key: an edited source is a new style.
    private static string StyleKey(IReadOnlyList<WeightedSource> sources, string settings) =>
        string.Join("|", sources.Select(s =>
        {
            var info = new FileInfo(s.Path);
            return $"{info.FullName}*{s.Weight}*{(info.Exists ? info.Length : -1)}*{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}";
        })) + "|" + settings;

    /// <remarks>
    /// Targets are measured with the padding the generated image will see. With zero padding the
    /// border statistics (large on the small octaves) differ between the style's levels and the
    /// image's, and a tileable image has no border at all: the optimiser paints colour noise trying
    /// to reach them.
    /// </remarks>
    private CachedStyle Style(string key, IReadOnlyList<WeightedSource> sources, Func<RgbImage, RgbImage> prepare, int octaves,
        StyleLossKind kind, IReadOnlyList<StyleLayer> layers, NetworkPadding padding, CancellationToken cancellationToken)
    {
        if (styles.TryGetValue(key, out var cached)) return cached;

        var images = new List<RgbImage>();
        try
        {
            foreach (var source in sources)
            {
                var image = ImageCodec.Read(source.Path);
                var prepared = prepare(image);
                if (!ReferenceEquals(prepared, image)) image.Dispose();
                images.Add(prepared);
                GaussianPyramid.EnsureFits(prepared.Width, prepared.Height, octaves, Profile.MinimumSide, source.Path);
            }
            var weighted = sources.Zip(images, (s, i) => new StyleSource(i, s.Weight)).ToList();
            var targets = StyleTargets.Compute(Network, layers, weighted, octaves, padding, kind, cancellationToken);
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
