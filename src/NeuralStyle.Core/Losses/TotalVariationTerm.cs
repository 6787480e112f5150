using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Total variation of the image itself, relative to the style's own roughness at this scale, so one
/// weight suits smooth marble and rough gravel. Reads no layers: the evaluators take it on the
/// whole image, also block-wise (it is cheap).
/// </summary>
/// <param name="reference">The sources' roughness at the stage's scale (1 without a style).</param>
/// <param name="wrap">Tileable output: the wrap-around counts too.</param>
public sealed class TotalVariationTerm(double weight, double reference, bool wrap) : ILossTerm
{
    public LossPart Part => LossPart.TotalVariation;
    public int Octave => 0;
    public IReadOnlyList<string> Layers => [];

    public Tensor Loss(LevelFeatures level) => TotalVariation.Of(level.Image, wrap).mul(weight / reference);
}
