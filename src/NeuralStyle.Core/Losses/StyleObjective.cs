using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The loss the pixels are optimised against: multi-octave style loss (the generated image pushed
/// through the same Gaussian pyramid as the style, Gram losses summed over levels), content loss on
/// deep features, and total variation. Every term is relative or a mean, so one set of weights
/// works at every image size and for layers of any width.
/// </summary>
/// <param name="styleOctaveOffset">
/// Coarse-to-fine: an image at 1/2^k of the final size matches the style's octaves k, k+1, …, so
/// features keep their size in pixels at every stage.
/// </param>
/// <param name="random">Draws the sliced-Wasserstein directions; seeded for reproducible results.</param>
/// <param name="tileSize">
/// 0: the whole image in one pass. Otherwise <see cref="EvaluateWithGradient"/> works block-wise on
/// tiles with cores of this many pixels: memory no longer grows with the image, the gradient is the same.
/// </param>
public sealed class StyleObjective(
    IFeatureNetwork network,
    StyleTargets? style,
    ContentTarget? content,
    LossWeights weights,
    PyramidBorder border = PyramidBorder.Reflect,
    int styleOctaveOffset = 0,
    StyleLossKind kind = StyleLossKind.Gram,
    Generator? random = null,
    int tileSize = 0)
{
    private const double Epsilon = 1e-12;
    private readonly string[] styleLayerNames = style is null ? [] : [.. style.Layers.Select(l => l.Name)];
    private readonly double layerWeightSum = style is null ? 1 : style.Layers.Sum(l => l.Weight);

    public LossWeights Weights { get; } = weights.Validate();

    /// <summary>
    /// The loss for <paramref name="pixels"/> (a leaf that requires grad), with its gradient added to
    /// <c>pixels.grad</c>: whole-image autograd, or block-wise when a tile size was given.
    /// </summary>
    public LossTerms EvaluateWithGradient(Tensor pixels)
    {
        if (tileSize <= 0)
        {
            var terms = Evaluate(pixels);
            terms.Total.backward();
            return terms;
        }
        return EvaluateBlockwise(pixels);
    }

    /// <summary>Evaluates every term for <paramref name="image"/> ([1,3,H,W] in [0,1]); the total keeps its autograd graph.</summary>
    public LossTerms Evaluate(Tensor image)
    {
        using var scope = NewDisposeScope();
        var total = zeros([], dtype: image.dtype, device: image.device);
        double styleValue = 0, contentValue = 0, tvValue = 0;

        var octaves = OctaveCount();
        var levels = octaves > 1 ? GaussianPyramid.Build(image, octaves, border) : [image];
        for (var octave = 0; octave < octaves; octave++)
        {
            var wantContent = octave == 0 && content is not null && Weights.Content > 0;
            var names = wantContent ? styleLayerNames.Append(content!.Layer).Distinct().ToArray() : styleLayerNames;
            if (names.Length == 0) continue;
            var features = FeatureReader.Read(network, levels[octave], names);

            if (style is not null && Weights.Style > 0)
            {
                var octaveLoss = StyleLoss(features, octave + styleOctaveOffset);
                // Summed over octaves (Snelgrove): the finest octave weighs as much as in single-octave
                // Gatys, the coarser ones add structure. Averaging instead starved fine detail.
                var term = octaveLoss.mul(Weights.Style / layerWeightSum);
                styleValue += term.ToDouble();
                total = total.add(term);
            }
            if (wantContent)
            {
                var term = ContentTerm(features[content!.Layer]);
                contentValue = term.ToDouble();
                total = total.add(term);
            }
        }

        if (Weights.TotalVariation > 0)
        {
            var term = TotalVariationTerm(image);
            tvValue = term.ToDouble();
            total = total.add(term);
        }
        return new LossTerms(total.MoveToOuterDisposeScope(), contentValue, styleValue, tvValue);
    }

    /// <summary>The octaves this stage matches: the style's, from <c>styleOctaveOffset</c> on.</summary>
    private int OctaveCount()
    {
        var octaves = style is null ? 1 : style.Octaves - styleOctaveOffset;
        if (octaves < 1) throw new ArgumentOutOfRangeException(nameof(styleOctaveOffset), "The offset leaves no style octave to match.");
        return octaves;
    }

    private Tensor ContentTerm(Tensor features) =>
        features.sub(content!.Features).square().sum().div(content.SquaredNorm.add(Epsilon)).mul(Weights.Content);

    /// <summary>Relative to the style's own roughness at this scale, so one weight suits smooth marble and rough gravel.</summary>
    private Tensor TotalVariationTerm(Tensor image)
    {
        var reference = style is null ? 1.0 : Math.Max(style.Roughness(styleOctaveOffset), 1e-6);
        return TotalVariation.Of(image, border == PyramidBorder.Circular).mul(Weights.TotalVariation / reference);
    }

    /// <summary>Σ over layers of w·(relative error): layers of very different magnitude count as weighted.</summary>
    private Tensor StyleLoss(IReadOnlyDictionary<string, Tensor> features, int octave)
    {
        Tensor? sum = null;
        for (var l = 0; l < styleLayerNames.Length; l++)
        {
            var error = kind == StyleLossKind.Gram
                ? GramError(features[styleLayerNames[l]], octave, l)
                : SlicedWassersteinError(features[styleLayerNames[l]], style!.Features(octave, l));
            var weighted = error.mul(style!.Layers[l].Weight);
            sum = sum is null ? weighted : sum.add(weighted);
        }
        return sum!;
    }

    /// <summary>
    /// Exact block-wise gradient. A Gram matrix is a sum over positions, so once G is known the
    /// gradient of ‖G − T‖²/‖T‖² with respect to the features is local: ∂L/∂F = 4(G − T)F / (‖T‖²·C·N).
    /// Per octave, pass 1 sums G over tiles without autograd; pass 2 runs each tile again with
    /// autograd and back-propagates ⟨∂L/∂F, F⟩ over its core (plus the content term, local anyway).
    /// The octaves' gradients then flow back through the pyramid, which is cheap to keep whole.
    /// </summary>
    private LossTerms EvaluateBlockwise(Tensor pixels)
    {
        if (kind != StyleLossKind.Gram)
            throw new NotSupportedException("Block-wise evaluation needs the Gram style loss: sliced Wasserstein sorts all positions at once. Use -StyleLoss Gram or a smaller output.");
        using var scope = NewDisposeScope();
        var octaves = OctaveCount();
        var levels = octaves > 1 ? GaussianPyramid.Build(pixels, octaves, border) : [pixels];
        var surrogate = zeros([], dtype: pixels.dtype, device: pixels.device);
        double styleValue = 0, contentValue = 0, tvValue = 0;
        for (var octave = 0; octave < octaves; octave++)
        {
            var (styleTerm, contentTerm, gradient) = OctaveGradient(levels[octave].detach(), octave, octave == 0);
            styleValue += styleTerm;
            contentValue += contentTerm;
            if (gradient is not null) surrogate = surrogate.add(levels[octave].mul(gradient).sum());
        }
        if (Weights.TotalVariation > 0)
        {
            var term = TotalVariationTerm(pixels);
            tvValue = term.ToDouble();
            surrogate = surrogate.add(term);
        }
        if (surrogate.requires_grad) surrogate.backward();
        var total = tensor(styleValue + contentValue + tvValue, dtype: pixels.dtype, device: pixels.device);
        return new LossTerms(total.MoveToOuterDisposeScope(), contentValue, styleValue, tvValue);
    }

    private (double Style, double Content, Tensor? Gradient) OctaveGradient(Tensor level, int octave, bool firstOctave)
    {
        var wantContent = firstOctave && content is not null && Weights.Content > 0;
        var wantStyle = style is not null && Weights.Style > 0;
        var names = (wantStyle ? styleLayerNames : []).Concat(wantContent ? [content!.Layer] : []).Distinct().ToArray();
        if (names.Length == 0) return (0, 0, null);
        var tiles = BlockwiseFeatures.Plan(network, names, (int)level.shape[3], (int)level.shape[2], tileSize, border == PyramidBorder.Circular);

        if (tiles.Tiles.Count == 1) return WholeLevelGradient(level, octave, names, wantStyle, wantContent);

        // Pass 1: the whole image's Gram matrices, and from them each layer's ∂L/∂F = A·F.
        double styleValue = 0;
        var coefficients = new Dictionary<string, (Tensor A, int Stride)>();
        if (wantStyle)
        {
            var grams = BlockwiseFeatures.Grams(network, level, styleLayerNames, tiles);
            for (var l = 0; l < styleLayerNames.Length; l++)
            {
                var name = styleLayerNames[l];
                var (gram, positions) = grams[name];
                var scale = style!.Layers[l].Weight * Weights.Style / layerWeightSum;
                var norm = style.SquaredNorm(styleOctaveOffset + octave, l).add(Epsilon);
                var difference = gram.sub(style.Gram(styleOctaveOffset + octave, l))[0];
                styleValue += difference.square().sum().div(norm).ToDouble() * scale;
                coefficients[name] = (difference.mul(4 * scale / (gram.shape[1] * positions)).div(norm),
                    BlockwiseFeatures.View(network, name).Stride);
            }
            foreach (var (gram, _) in grams.Values) gram.Dispose();
        }

        // Pass 2: each tile again, with autograd; the gradients of the tiles' inputs add up.
        double contentValue = 0;
        using var extended = tiles.Extend(level);
        using var gradient = zeros_like(extended);
        var contentStride = wantContent ? BlockwiseFeatures.View(network, content!.Layer).Stride : 1;
        foreach (var tile in tiles.Tiles)
        {
            using var tileScope = NewDisposeScope();
            var crop = FeatureTiles.Crop(extended, tile).detach().clone().requires_grad_(true);
            var features = FeatureReader.Read(network, crop, names);
            var surrogate = zeros([], dtype: crop.dtype, device: crop.device);
            foreach (var (name, (a, stride)) in coefficients)
            {
                var core = tiles.Core(features[name], tile, stride)[0];
                var flat = core.reshape(core.shape[0], -1);
                surrogate = surrogate.add(flat.mul(a.matmul(flat).detach()).sum());
            }
            if (wantContent)
            {
                var core = tiles.Core(features[content!.Layer], tile, contentStride);
                var target = tiles.WholeCore(content.Features, tile, contentStride);
                var term = core.sub(target).square().sum().div(content.SquaredNorm.add(Epsilon)).mul(Weights.Content);
                contentValue += term.ToDouble();
                surrogate = surrogate.add(term);
            }
            surrogate.backward();
            FeatureTiles.Crop(gradient, tile).add_(crop.grad!);
        }
        foreach (var (a, _) in coefficients.Values) a.Dispose();
        return (styleValue, contentValue, tiles.Fold(gradient));
    }

    /// <summary>A level that fits one tile: ordinary autograd, one pass.</summary>
    private (double Style, double Content, Tensor Gradient) WholeLevelGradient(Tensor level, int octave, string[] names, bool wantStyle,
        bool wantContent)
    {
        var leaf = level.detach().clone().requires_grad_(true);
        double styleValue = 0, contentValue = 0;
        using (var scope = NewDisposeScope())
        {
            var features = FeatureReader.Read(network, leaf, names);
            var loss = zeros([], dtype: leaf.dtype, device: leaf.device);
            if (wantStyle)
            {
                var term = StyleLoss(features, octave + styleOctaveOffset).mul(Weights.Style / layerWeightSum);
                styleValue = term.ToDouble();
                loss = loss.add(term);
            }
            if (wantContent)
            {
                var term = ContentTerm(features[content!.Layer]);
                contentValue = term.ToDouble();
                loss = loss.add(term);
            }
            loss.backward();
        }
        return (styleValue, contentValue, leaf.grad!);
    }

    /// <summary>‖G − T‖² / ‖T‖².</summary>
    private Tensor GramError(Tensor features, int octave, int layer)
    {
        var gram = GramMatrix.Compute(features);
        return gram.sub(style!.Gram(octave, layer)).square().sum().div(style.SquaredNorm(octave, layer).add(Epsilon));
    }

    /// <summary>
    /// Heitz et al. 2021: project the feature vectors of every position on C random unit directions,
    /// sort each projection, and compare with the source's sorted projections (resampled to the same
    /// count), relative to the source's mean squared activation.
    /// </summary>
    private Tensor SlicedWassersteinError(Tensor features, SourceFeatures source)
    {
        var c = features.shape[1];
        var generated = features[0].reshape(c, -1);
        var directions = randn([c, c], dtype: generated.dtype, device: generated.device, generator: random);
        directions = directions.div(directions.norm(0, keepdim: true));
        var projected = directions.t().matmul(generated).sort(1).Values;
        var target = directions.t().matmul(source.Vectors.to(generated.dtype)).sort(1).Values;
        if (target.shape[1] != projected.shape[1])
        {
            target = nn.functional.interpolate(target.unsqueeze(0), size: [projected.shape[1]], mode: InterpolationMode.Linear,
                align_corners: true).squeeze(0);
        }
        return projected.sub(target).square().mean().div(source.MeanSquare.add(Epsilon));
    }
}
