using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Gatys' content loss, ‖F − F_c‖²/‖F_c‖² at the content layer, times the content weight. A sum of
/// local parts: block-wise, each tile's core contributes its own part.
/// </summary>
public sealed class ContentTerm(ContentTarget target, double weight) : IBlockwiseTerm
{
    public LossPart Part => LossPart.Content;
    public int Octave => 0;
    public IReadOnlyList<string> Layers { get; } = [target.Layer];

    public Tensor Loss(LevelFeatures level) => RelativeError.Of(level[target.Layer], target.Features, target.SquaredNorm).mul(weight);

    public ITileSums? NewSums() => null;

    public TileGradient Gradient(ITileSums? sums) => new(0, tile =>
    {
        var term = RelativeError.Of(tile.Core(target.Layer), tile.WholeCore(target.Features, target.Layer), target.SquaredNorm).mul(weight);
        return (term, term.ToDouble());
    });
}
