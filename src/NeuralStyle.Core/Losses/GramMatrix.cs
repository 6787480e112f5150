using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>Gram matrix of feature maps, G = F Fᵀ / (C·H·W): second-order feature statistics, independent of image size.</summary>
public static class GramMatrix
{
    /// <summary>[N,C,H,W] features → [N,C,C] Gram matrices.</summary>
    public static Tensor Compute(Tensor features)
    {
        if (features.dim() != 4) throw new ArgumentException("Expected [N,C,H,W] features.", nameof(features));
        long n = features.shape[0], c = features.shape[1], hw = features.shape[2] * features.shape[3];
        using var flat = features.reshape(n, c, hw);
        using var flatT = flat.transpose(1, 2);
        using var product = flat.bmm(flatT);
        return product.div(c * hw);
    }
}
