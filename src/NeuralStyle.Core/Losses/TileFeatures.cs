using NeuralStyle.Core.Features;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>The activations one tile read, and the windows of them (and of whole-image maps) its core owns.</summary>
public sealed class TileFeatures(IFeatureNetwork network, FeatureTiles tiles, FeatureTile tile, IReadOnlyDictionary<string, Tensor> features)
{
    /// <summary>The activations of <paramref name="layer"/> this tile's core owns.</summary>
    public Tensor Core(string layer) => CoreOf(layer, features[layer]);

    /// <summary>
    /// A scalar whose gradient with respect to <paramref name="layer"/>'s activations is
    /// <paramref name="coreGradient"/> of the core (computed without autograd, shaped like <see cref="Core(string)"/>)
    /// on the core and zero on the halo. Only the graph keeps that gradient, placed in a zero map of
    /// the layer's size: slicing out the core, flattening it and multiplying inside the graph held three
    /// core-sized intermediates until the tile ended and made that zero map again in the backward pass
    /// (1.2 GB at 4096² with 2048 px tiles; bench/README.md, "The 4096² step's peak, found and cut").
    /// </summary>
    public Tensor WithCoreGradient(string layer, Func<Tensor, Tensor> coreGradient)
    {
        var map = features[layer];
        Tensor gradient;
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            gradient = zeros_like(map);
            CoreOf(layer, gradient).copy_(coreGradient(Core(layer)));
            gradient.MoveToOuterDisposeScope();
        }
        return GradientSurrogate.Taking(map, gradient);
    }

    private Tensor CoreOf(string layer, Tensor map) => tiles.Core(map, tile, FeatureReader.View(network, layer).Stride);

    /// <summary>The same window, taken from a feature map of the whole image (a target).</summary>
    public Tensor WholeCore(Tensor wholeFeatures, string layer) =>
        tiles.WholeCore(wholeFeatures, tile, FeatureReader.View(network, layer).Stride);
}
