namespace NeuralStyle.Core.Networks;

/// <summary>The pooling of a feature network: VGG's 2×2 pools between blocks, ResNet's 3×3 pool after the stem.</summary>
public enum NetworkPooling
{
    /// <summary>Max-pooling, as the network was trained.</summary>
    Max,

    /// <summary>
    /// Average pooling: Gatys et al. found it gives smoother gradients and better textures; the
    /// activations keep roughly the same scale, so the trained convolutions still make sense.
    /// </summary>
    Average,
}
