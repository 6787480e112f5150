using NeuralStyle.Core.Features;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>The content image's activations at one layer, at the size being optimised.</summary>
public sealed class ContentTarget : IDisposable
{
    private ContentTarget(string layer, Tensor features)
    {
        Layer = layer;
        Features = features.DetachFromDisposeScope();
        SquaredNorm = features.square().sum().DetachFromDisposeScope();
    }

    public string Layer { get; }
    public Tensor Features { get; }
    public Tensor SquaredNorm { get; }

    /// <summary>Reads <paramref name="layer"/> of <paramref name="image"/> in a scope of its own; the target owns what it keeps.</summary>
    public static ContentTarget Read(IFeatureNetwork network, Tensor image, string layer, NetworkPadding padding)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return new ContentTarget(layer, FeatureReader.Read(network, image, [layer], padding)[layer]);
    }

    public void Dispose()
    {
        Features.Dispose();
        SquaredNorm.Dispose();
    }
}
