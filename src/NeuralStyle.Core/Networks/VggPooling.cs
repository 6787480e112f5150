namespace NeuralStyle.Core.Networks;

/// <summary>The 2×2 pooling between VGG blocks.</summary>
public enum VggPooling
{
    /// <summary>Max-pooling, as the network was trained.</summary>
    Max,

    /// <summary>
    /// Average pooling: Gatys et al. found it gives smoother gradients and better textures; the
    /// activations keep roughly the same scale, so the trained convolutions still make sense.
    /// </summary>
    Average,
}
