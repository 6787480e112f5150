using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Heitz et al. 2021: project the feature vectors of every position on C random unit directions,
/// sort each projection, and compare with the source's sorted projections (resampled to the same
/// count), relative to the source's mean squared activation. Sorting needs all positions at once,
/// so this term is whole-image only.
/// </summary>
/// <param name="random">Draws the directions, anew at every evaluation; seeded for reproducible results.</param>
public sealed class SlicedWassersteinTerm(StyleTargets targets, int octave, int styleOctave, double styleWeight, Generator? random)
    : LayerStyleTerm(targets, octave, styleOctave, styleWeight)
{
    protected override Tensor LayerError(Tensor features, int layer)
    {
        var source = Targets.Features(StyleOctave, layer);
        var c = features.shape[1];
        var generated = features[0].reshape(c, -1);
        var directions = randn([c, c], dtype: generated.dtype, device: generated.device, generator: random);
        directions = directions.div(directions.norm(0, keepdim: true));
        var projected = directions.t().matmul(generated).sort(1).Values;
        var target = Resample(directions.t().matmul(source.Vectors.to(generated.dtype)).sort(1).Values, projected.shape[1]);
        return projected.sub(target).square().mean().div(source.MeanSquare.add(RelativeError.Epsilon));
    }

    /// <summary>Sorted projections ([K, P]) at <paramref name="count"/> quantiles each, linearly interpolated: the source's and the image's position counts differ.</summary>
    internal static Tensor Resample(Tensor sorted, long count) => sorted.shape[1] == count
        ? sorted
        : nn.functional.interpolate(sorted.unsqueeze(0), size: [count], mode: InterpolationMode.Linear, align_corners: true).squeeze(0);
}
