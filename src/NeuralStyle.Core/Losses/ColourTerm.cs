using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The colour distribution of the pixels themselves: sliced Wasserstein distance (Heitz et al. 2021;
/// Risser et al. 2017 match histograms for the same reason) between the generated image's RGB values
/// and the sources', on a fixed set of directions so L-BFGS sees one objective. The Gram terms fix
/// only second moments of features, and a grey-green mix of the right "texture" satisfies them:
/// this term pins the palette (dark grounds stay dark, saturated colours saturated). Relative to
/// the sources' colour variance, like every term. Reads no layers: evaluated on the whole image.
/// </summary>
/// <param name="styleOctave">The sources' octave this stage's full-size image is compared with.</param>
public sealed class ColourTerm(StyleTargets targets, int styleOctave, double weight) : ILossTerm
{
    public LossPart Part => LossPart.Style;
    public int Octave => 0;
    public IReadOnlyList<string> Layers => [];

    public Tensor Loss(LevelFeatures level)
    {
        var (directions, sorted, variance) = targets.Colours(styleOctave);
        var pixels = level.Image[0].reshape(3, -1);
        var projected = directions.t().matmul(pixels).sort(1).Values;
        var target = SlicedWassersteinTerm.Resample(sorted, projected.shape[1]);
        return projected.sub(target).square().mean().div(variance).mul(weight);
    }
}
