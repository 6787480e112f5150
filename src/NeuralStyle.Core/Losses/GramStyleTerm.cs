using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Gatys' style loss, ‖G − T‖²/‖T‖² per layer. A Gram matrix is a sum over positions, so block-wise
/// evaluation is exact: pass 1 sums F Fᵀ over the tiles; with G known, ∂L/∂F = 4(G − T)F / (‖T‖²·C·N)
/// is local, and each tile back-propagates A·F over its core with A = 4(G − T)/(‖T‖²·C·N) fixed.
/// </summary>
public sealed class GramStyleTerm(StyleTargets targets, int octave, int styleOctave, double styleWeight)
    : LayerStyleTerm(targets, octave, styleOctave, styleWeight), IBlockwiseTerm
{
    protected override Tensor LayerError(Tensor features, int layer) =>
        RelativeError.Of(GramMatrix.Compute(features), Targets.Gram(StyleOctave, layer), Targets.SquaredNorm(StyleOctave, layer));

    public ITileSums? NewSums() => new Sums(Layers);

    public TileGradient Gradient(ITileSums? sums)
    {
        var whole = (Sums)sums!;
        double value = 0;
        var coefficients = new Tensor[Layers.Count];
        for (var l = 0; l < Layers.Count; l++)
        {
            var gram = whole.Gram(Layers[l]);
            var scale = LayerScale(l);
            var norm = Targets.SquaredNorm(StyleOctave, l).add(RelativeError.Epsilon);
            var difference = gram.sub(Targets.Gram(StyleOctave, l))[0];
            value += difference.square().sum().div(norm).ToDouble() * scale;
            coefficients[l] = difference.mul(4 * scale / GramMatrix.Normaliser(gram.shape[1], whole.Positions(Layers[l]))).div(norm);
        }
        return new TileGradient(value, tile =>
        {
            Tensor? surrogate = null;
            for (var l = 0; l < Layers.Count; l++)
            {
                var coefficient = coefficients[l];
                var part = tile.WithCoreGradient(Layers[l], core => coefficient.matmul(core[0].reshape(core.shape[1], -1)).view_as(core));
                surrogate = surrogate is null ? part : surrogate.add(part);
            }
            return (surrogate!, 0);
        });
    }

    /// <summary>Σ F Fᵀ and the number of positions per layer, over every tile's core.</summary>
    public sealed class Sums(IReadOnlyList<string> layers) : ITileSums
    {
        private readonly Dictionary<string, Tensor> products = [];
        private readonly Dictionary<string, long> positions = [];

        public void Add(TileFeatures tile)
        {
            foreach (var layer in layers)
            {
                var core = tile.Core(layer);
                var flat = core[0].reshape(core.shape[1], -1);
                var product = flat.matmul(flat.t());
                if (products.TryGetValue(layer, out var sum)) sum.add_(product);
                else products[layer] = product.MoveToOuterDisposeScope();
                positions[layer] = positions.GetValueOrDefault(layer) + flat.shape[1];
            }
        }

        /// <summary>The whole level's Gram matrix of <paramref name="layer"/>, [1,C,C].</summary>
        public Tensor Gram(string layer) => GramMatrix.FromSum(products[layer], positions[layer]);

        public long Positions(string layer) => positions[layer];
    }
}
