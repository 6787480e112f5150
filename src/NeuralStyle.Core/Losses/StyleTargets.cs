using NeuralStyle.Core.Features;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The Gram matrices the generated image must match: one per style layer on every octave of the
/// style's Gaussian pyramid (Snelgrove 2017), joined over several sources by weighted mean.
/// Computed once and reused for every image of a batch.
/// </summary>
public sealed class StyleTargets : IDisposable
{
    private readonly Tensor[][] grams; // [octave][layer]
    private readonly Tensor[] squaredNorms;
    private readonly SourceFeatures[][]? features; // [octave][layer], only for sliced Wasserstein

    private readonly double[] roughness; // per octave
    private readonly Tensor colourDirections; // [3, K]
    private readonly (Tensor Sorted, Tensor Variance)[] colours; // per octave: [K, P] sorted projections of the sources' pixels

    /// <summary>Directions of the colour term's projections: a few cover RGB's three dimensions well, and sorting stays cheap.</summary>
    public const int ColourDirections = 16;

    private StyleTargets(IReadOnlyList<StyleLayer> layers, Tensor[][] grams, SourceFeatures[][]? features, double[] roughness,
        SourceFeatures[] pixels)
    {
        Layers = layers;
        this.roughness = roughness;
        using (var scope = NewDisposeScope())
        {
            colourDirections = NewColourDirections(pixels[0].Vectors.dtype, pixels[0].Vectors.device).DetachFromDisposeScope();
            colours = [.. pixels.Select(p =>
            {
                var projected = colourDirections.t().matmul(p.Vectors);
                return (projected.sort(1).Values.DetachFromDisposeScope(),
                    projected.var(1).mean().add(RelativeError.Epsilon).DetachFromDisposeScope());
            })];
        }
        foreach (var p in pixels) p.Dispose();
        this.grams = grams;
        this.features = features;
        squaredNorms = [.. grams.SelectMany(g => g).Select(g => g.square().sum().DetachFromDisposeScope())];
    }

    /// <summary>
    /// The colour term's directions ([3,K] unit columns): fixed (seeded), so the same sources always give
    /// the same objective. In the caller's scope.
    /// </summary>
    public static Tensor NewColourDirections(ScalarType dtype, Device device)
    {
        using var generator = new Generator(20170);
        var d = randn([3, ColourDirections], generator: generator).to(dtype).to(device);
        return d.div(d.norm(0, keepdim: true));
    }

    public IReadOnlyList<StyleLayer> Layers { get; }
    public int Octaves => grams.Length;

    /// <summary>
    /// The sources' own total variation (mean squared neighbour difference) at an octave: the TV term
    /// is measured relative to it, so smooth sources are kept smooth and rough ones are not blurred.
    /// </summary>
    public double Roughness(int octave) => roughness[octave];

    /// <summary>True when the source features were kept for a distribution (sliced Wasserstein) loss.</summary>
    public bool HasFeatures => features is not null;

    /// <summary>The sources' feature vectors at one octave and layer, for distribution matching.</summary>
    public SourceFeatures Features(int octave, int layer) =>
        features?[octave][layer] ?? throw new InvalidOperationException("These targets were computed for the Gram loss only.");

    public Tensor Gram(int octave, int layer) => grams[octave][layer];

    /// <summary>
    /// The colour term's fixed directions ([3,K]), the sources' sorted pixel projections on them at an
    /// octave ([K,P]; several sources sampled by weight), and their mean variance.
    /// </summary>
    public (Tensor Directions, Tensor Sorted, Tensor Variance) Colours(int octave) =>
        (colourDirections, colours[octave].Sorted, colours[octave].Variance);

    /// <summary>‖T‖², used to make each layer's loss relative so layers of very different magnitude weigh as intended.</summary>
    public Tensor SquaredNorm(int octave, int layer) => squaredNorms[octave * Layers.Count + layer];

    /// <summary>The rule for the sources' weights: none negative or NaN, and not all zero (each is a share of their sum).</summary>
    public static bool AreUsableWeights(IReadOnlyCollection<double> weights) => weights.All(w => w >= 0) && weights.Sum() > 0;

    /// <summary>
    /// Computes the targets in a dispose scope of its own; the result owns its tensors. Cancellation
    /// is honoured between octaves, so a large source stops within one level's forward pass.
    /// </summary>
    /// <param name="padding">
    /// The padding the generated image will see. With zero padding the border statistics (large on
    /// the small octaves) differ between the style's levels and the image's, and a tileable image has
    /// no border at all: the optimiser paints colour noise trying to reach them.
    /// </param>
    public static StyleTargets Compute(IFeatureNetwork network, IReadOnlyList<StyleLayer> layers,
        IReadOnlyList<StyleSource> sources, int octaves, NetworkPadding padding, StyleLossKind kind = StyleLossKind.Gram,
        CancellationToken cancellationToken = default)
    {
        if (sources.Count == 0) throw new ArgumentException("At least one style source is needed.", nameof(sources));
        if (!AreUsableWeights([.. sources.Select(s => s.Weight)]))
            throw new ArgumentException("Source weights must be non-negative and not all zero.", nameof(sources));
        var totalWeight = sources.Sum(s => s.Weight);

        var names = layers.Select(l => l.Name).ToArray();
        var result = new Tensor[octaves][];
        var kept = kind == StyleLossKind.SlicedWasserstein ? new List<(Tensor Features, double Share)>[octaves, layers.Count] : null;
        var pixels = new List<(Tensor Features, double Share)>[octaves];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var o = 0; o < octaves; o++) (result[o], pixels[o]) = (new Tensor[layers.Count], []);
        var tv = new double[octaves];
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var share = source.Weight / totalWeight;
            var image = source.Image.Rgb.to(network.Device);
            var levels = GaussianPyramid.Build(image, octaves, PyramidBorder.Reflect);
            for (var o = 0; o < octaves; o++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                tv[o] += share * TotalVariation.Of(levels[o]).ToDouble();
                pixels[o].Add((levels[o], share));
                var features = FeatureReader.Read(network, levels[o], names, padding);
                for (var l = 0; l < layers.Count; l++)
                {
                    var gram = GramMatrix.Compute(features[names[l]]).mul(share);
                    result[o][l] = result[o][l] is null ? gram : result[o][l].add(gram);
                    if (kept is not null) (kept[o, l] ??= []).Add((features[names[l]], share));
                }
            }
        }
        foreach (var gram in result.SelectMany(g => g)) gram.DetachFromDisposeScope();
        SourceFeatures[][]? distributions = null;
        if (kept is not null)
        {
            distributions = new SourceFeatures[octaves][];
            for (var o = 0; o < octaves; o++)
            {
                distributions[o] = new SourceFeatures[layers.Count];
                for (var l = 0; l < layers.Count; l++) distributions[o][l] = SourceFeatures.Join(kept[o, l]);
            }
        }
        return new StyleTargets(layers, result, distributions, tv, [.. pixels.Select(SourceFeatures.Join)]);
    }

    public void Dispose()
    {
        foreach (var g in grams.SelectMany(g => g)) g.Dispose();
        foreach (var n in squaredNorms) n.Dispose();
        foreach (var f in features?.SelectMany(f => f) ?? []) f.Dispose();
        colourDirections.Dispose();
        foreach (var (sorted, variance) in colours)
        {
            sorted.Dispose();
            variance.Dispose();
        }
    }
}
