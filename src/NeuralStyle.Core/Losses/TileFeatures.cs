using NeuralStyle.Core.Features;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>The activations one tile read, and the windows of them (and of whole-image maps) its core owns.</summary>
public sealed class TileFeatures(IFeatureNetwork network, FeatureTiles tiles, FeatureTile tile, IReadOnlyDictionary<string, Tensor> features)
{
    /// <summary>The activations of <paramref name="layer"/> this tile's core owns.</summary>
    public Tensor Core(string layer) => tiles.Core(features[layer], tile, FeatureReader.View(network, layer).Stride);

    /// <summary>The same window, taken from a feature map of the whole image (a target).</summary>
    public Tensor WholeCore(Tensor wholeFeatures, string layer) =>
        tiles.WholeCore(wholeFeatures, tile, FeatureReader.View(network, layer).Stride);
}
