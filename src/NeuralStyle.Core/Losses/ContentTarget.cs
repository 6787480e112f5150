using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>The content image's activations at one layer, at the size being optimised.</summary>
public sealed class ContentTarget(string layer, Tensor features) : IDisposable
{
    public string Layer { get; } = layer;
    public Tensor Features { get; } = features.DetachFromDisposeScope();
    public Tensor SquaredNorm { get; } = features.square().sum().DetachFromDisposeScope();

    public void Dispose()
    {
        Features.Dispose();
        SquaredNorm.Dispose();
    }
}
