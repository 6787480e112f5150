using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The style loss of one octave: Σ over the style layers of w_l·(relative error of layer l), times
/// the style weight over Σ w_l, so layers of very different magnitude count as weighted and the
/// total does not grow with their number. Summed over octaves (Snelgrove): the finest octave weighs
/// as much as in single-octave Gatys, the coarser ones add structure; averaging starved fine detail.
/// </summary>
/// <param name="octave">The generated image's pyramid level this term reads.</param>
/// <param name="styleOctave">The style's octave it is compared with (coarse-to-fine stages start further down the style's pyramid).</param>
public abstract class LayerStyleTerm(StyleTargets targets, int octave, int styleOctave, double styleWeight) : ILossTerm
{
    protected StyleTargets Targets { get; } = targets;
    protected int StyleOctave { get; } = styleOctave;

    private readonly double layerWeightSum = targets.Layers.Sum(l => l.Weight);

    /// <summary>The style weight over Σ w_l, applied once to the octave's sum.</summary>
    protected double Scale => styleWeight / layerWeightSum;

    /// <summary>Layer <paramref name="layer"/>'s share, w_l·weight/Σ w_l, for terms that weigh layers one by one.</summary>
    protected double LayerScale(int layer) => Targets.Layers[layer].Weight * styleWeight / layerWeightSum;

    public LossPart Part => LossPart.Style;
    public int Octave { get; } = octave;
    public IReadOnlyList<string> Layers { get; } = [.. targets.Layers.Select(l => l.Name)];

    public Tensor Loss(LevelFeatures level)
    {
        Tensor? sum = null;
        for (var l = 0; l < Layers.Count; l++)
        {
            var weighted = LayerError(level[Layers[l]], l).mul(Targets.Layers[l].Weight);
            sum = sum is null ? weighted : sum.add(weighted);
        }
        return sum!.mul(Scale);
    }

    /// <summary>The unweighted, relative error of one layer's features against the style's at <see cref="StyleOctave"/>.</summary>
    protected abstract Tensor LayerError(Tensor features, int layer);
}
