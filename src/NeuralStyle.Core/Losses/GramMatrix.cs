using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Gram matrix of feature maps, G = F Fᵀ / (C·N) over N positions: second-order feature statistics,
/// independent of image size. The one place of its normalisation, for whole maps, for sums over
/// tiles, and for the gradient factor of block-wise evaluation.
/// </summary>
public static class GramMatrix
{
    /// <summary>[N,C,H,W] features → [N,C,C] Gram matrices.</summary>
    public static Tensor Compute(Tensor features)
    {
        if (features.dim() != 4) throw new ArgumentException("Expected [N,C,H,W] features.", nameof(features));
        long n = features.shape[0], c = features.shape[1], hw = features.shape[2] * features.shape[3];
        // Handles only: the autograd graph keeps what backward needs; freeing them keeps a long evaluation's scope small.
        using var flat = features.reshape(n, c, hw);
        using var flatT = flat.transpose(1, 2);
        using var product = flat.bmm(flatT);
        return product.div(Normaliser(c, hw));
    }

    /// <summary>A sum of F Fᵀ ([C,C]) over <paramref name="positions"/> positions → the Gram matrix ([1,C,C]).</summary>
    public static Tensor FromSum(Tensor sum, long positions) => sum.div(Normaliser(sum.shape[0], positions)).unsqueeze(0);

    /// <summary>C·N: what F Fᵀ is divided by.</summary>
    public static long Normaliser(long channels, long positions) => channels * positions;
}
