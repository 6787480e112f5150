using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// A scalar whose gradient with respect to a tensor is a gradient computed without autograd: back-propagating it
/// sends that gradient on through the tensor's graph. The block-wise passes use it to join gradients they computed
/// themselves (a tile's core, a pyramid level) to the network's graph.
/// </summary>
public static class GradientSurrogate
{
    /// <summary>
    /// m·g: ∂(m·g)/∂m = g exactly, and dot allocates no product of <paramref name="output"/>'s size. Takes
    /// <paramref name="gradient"/> over: only the graph holds g afterwards, so g is freed once the dot's backward has
    /// copied it, not when the caller's scope ends. The flat view goes too: it shares g's storage, and holding it
    /// kept g beside that copy (0.41 GB at a 4096² tile's peak).
    /// </summary>
    public static Tensor Taking(Tensor output, Tensor gradient)
    {
        var flatGradient = gradient.reshape(-1);
        var surrogate = output.reshape(-1).dot(flatGradient);
        flatGradient.Dispose();
        gradient.Dispose();
        return surrogate;
    }
}
