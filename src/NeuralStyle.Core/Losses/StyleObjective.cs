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
public sealed class StyleObjective(
    IFeatureNetwork network,
    StyleTargets? style,
    ContentTarget? content,
    LossWeights weights,
    PyramidBorder border = PyramidBorder.Reflect,
    int styleOctaveOffset = 0,
    StyleLossKind kind = StyleLossKind.Gram,
    Generator? random = null)
{
    private const double Epsilon = 1e-12;
    private readonly string[] styleLayerNames = style is null ? [] : [.. style.Layers.Select(l => l.Name)];
    private readonly double layerWeightSum = style is null ? 1 : style.Layers.Sum(l => l.Weight);

    public LossWeights Weights { get; } = weights.Validate();

    /// <summary>Evaluates every term for <paramref name="image"/> ([1,3,H,W] in [0,1]); the total keeps its autograd graph.</summary>
    public LossTerms Evaluate(Tensor image)
    {
        using var scope = NewDisposeScope();
        var total = zeros([], dtype: image.dtype, device: image.device);
        double styleValue = 0, contentValue = 0, tvValue = 0;

        var octaves = style is null ? 1 : style.Octaves - styleOctaveOffset;
        if (octaves < 1) throw new ArgumentOutOfRangeException(nameof(styleOctaveOffset), "The offset leaves no style octave to match.");
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
                var diff = features[content!.Layer].sub(content.Features).square().sum();
                var term = diff.div(content.SquaredNorm.add(Epsilon)).mul(Weights.Content);
                contentValue = term.ToDouble();
                total = total.add(term);
            }
        }

        if (Weights.TotalVariation > 0)
        {
            // Relative to the style's own roughness at this scale, so one weight suits smooth marble and rough gravel.
            var reference = style is null ? 1.0 : Math.Max(style.Roughness(styleOctaveOffset), 1e-6);
            var term = TotalVariation.Of(image, border == PyramidBorder.Circular).mul(Weights.TotalVariation / reference);
            tvValue = term.ToDouble();
            total = total.add(term);
        }
        return new LossTerms(total.MoveToOuterDisposeScope(), contentValue, styleValue, tvValue);
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
