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
        var target = directions.t().matmul(source.Vectors.to(generated.dtype)).sort(1).Values;
        if (target.shape[1] != projected.shape[1])
        {
            target = nn.functional.interpolate(target.unsqueeze(0), size: [projected.shape[1]], mode: InterpolationMode.Linear,
                align_corners: true).squeeze(0);
        }
        return projected.sub(target).square().mean().div(source.MeanSquare.add(RelativeError.Epsilon));
    }
}
