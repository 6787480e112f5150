using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Runs the network tile by tile (see <see cref="FeatureTiles"/>), so memory depends on the tile
/// size, not on the image's: Gram matrices summed over tiles, and gradients accumulated tile by tile.
/// </summary>
public static class BlockwiseFeatures
{
    /// <summary>Tiles for reading <paramref name="layers"/> from a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public static FeatureTiles Plan(IFeatureNetwork network, IReadOnlyCollection<string> layers, int width, int height, int tileSize,
        bool periodic)
    {
        var views = layers.Select(l => View(network, l)).ToArray();
        return FeatureTiles.Plan(width, height, tileSize, views.Max(v => v.Reach), views.Max(v => v.Stride), periodic);
    }

    public static FieldOfView View(IFeatureNetwork network, string layer) =>
        layer == FeatureReader.Pixels ? FieldOfView.Identity : network.FieldOfView(layer);

    /// <summary>
    /// The Gram matrix ([1,C,C]) of every layer of the whole image, accumulated over tiles without
    /// autograd, and the number of positions it averages.
    /// </summary>
    public static Dictionary<string, (Tensor Gram, long Positions)> Grams(IFeatureNetwork network, Tensor image, IReadOnlyList<string> layers, FeatureTiles tiles,
        CancellationToken cancellationToken = default)
    {
        using var noGrad = no_grad();
        var sums = new Dictionary<string, Tensor>();
        var counts = new Dictionary<string, long>();
        using var scope = NewDisposeScope();
        using var extended = tiles.Extend(image);
        foreach (var tile in tiles.Tiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var tileScope = NewDisposeScope();
            var features = FeatureReader.Read(network, FeatureTiles.Crop(extended, tile), layers);
            foreach (var layer in layers)
            {
                var core = tiles.Core(features[layer], tile, View(network, layer).Stride);
                var flat = core[0].reshape(core.shape[1], -1);
                var product = flat.matmul(flat.t());
                if (sums.TryGetValue(layer, out var sum)) sum.add_(product);
                else sums[layer] = product.MoveToOuterDisposeScope();
                counts[layer] = counts.GetValueOrDefault(layer) + flat.shape[1];
            }
        }
        return sums.ToDictionary(p => p.Key,
            p => (p.Value.div(p.Value.shape[0] * counts[p.Key]).unsqueeze(0).DetachFromDisposeScope(), counts[p.Key]));
    }
}
