using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Optimization;

/// <summary>
/// One image-sized vector of an L-BFGS curvature pair at a <see cref="HistoryPrecision"/>: allocated once, overwritten
/// in place by <see cref="Store"/>, and read back in the image's precision by <c>Dot</c> and <see cref="AddTo"/>.
/// </summary>
internal sealed class HistoryVector : IDisposable
{
    /// <summary>
    /// Values sharing one scale in bytes: a few pixels of one row, so that a strong edge flattens only its neighbours, and the
    /// rounding is the same at every image size (a scale per image row would be 16 times coarser at 4096² than at 256²).
    /// </summary>
    public const int BlockLength = 64;

    private readonly Tensor stored;        // the image's dtype, bfloat16 (flat), or int8 ([blocks, BlockLength], the tail zero)
    private readonly Tensor? blockScales;  // Byte only: [blocks, 1], each block's absolute maximum / 127
    private readonly long length;
    private readonly ScalarType imageType;

    /// <param name="like">A flat vector in the image's precision (the gradient).</param>
    public HistoryVector(Tensor like, HistoryPrecision precision)
    {
        imageType = like.dtype;
        length = like.numel();
        var blocks = (length + BlockLength - 1) / BlockLength;
        stored = precision switch
        {
            HistoryPrecision.Image => empty_like(like),
            HistoryPrecision.Half => empty_like(like, dtype: like.dtype == ScalarType.Float64 ? ScalarType.Float32 : ScalarType.BFloat16),
            HistoryPrecision.Byte => zeros([blocks, BlockLength], dtype: ScalarType.Int8, device: like.device),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };
        stored.DetachFromDisposeScope();
        if (precision == HistoryPrecision.Byte) blockScales = empty([blocks, 1], dtype: like.dtype, device: like.device).DetachFromDisposeScope();
    }

    /// <summary>Overwrites the vector with <paramref name="value"/> (flat, the image's precision), rounded to the nearest stored value.</summary>
    public void Store(Tensor value)
    {
        if (blockScales is null)
        {
            stored.copy_(value);
            return;
        }
        using var scope = NewDisposeScope();
        var blocks = Blocks(value);
        // max(|v|) from the two extremes, without a vector-sized |v|; an all-zero block keeps a positive scale.
        blockScales.copy_(maximum(blocks.amax([1], keepdim: true), blocks.amin([1], keepdim: true).neg_()).div_(127).clamp_min_(1e-30));
        stored.copy_(blocks.div(blockScales).round_());
    }

    /// <summary><paramref name="value"/> as [blocks, BlockLength], padded with zeros to whole blocks.</summary>
    private Tensor Blocks(Tensor value)
    {
        var padding = stored.numel() - length;
        return (padding == 0 ? value : nn.functional.pad(value, [0, padding])).view(-1, BlockLength);
    }

    /// <summary>This vector dotted with <paramref name="other"/> (flat, the image's precision).</summary>
    public double Dot(Tensor other)
    {
        using var wide = Widened();
        return (wide ?? stored).dot(other).ToDouble();
    }

    /// <summary>This vector dotted with another stored one: each widened in turn.</summary>
    public double Dot(HistoryVector other)
    {
        using var wide = other.Widened();
        return Dot(wide ?? other.stored);
    }

    /// <summary><paramref name="target"/> += alpha · this vector.</summary>
    public void AddTo(Tensor target, double alpha)
    {
        using var wide = Widened();
        target.add_(wide ?? stored, alpha: alpha);
    }

    /// <summary>A temporary copy in the image's precision, or null when the vector is stored in it.</summary>
    private Tensor? Widened()
    {
        if (stored.dtype == imageType) return null;
        if (blockScales is null) return stored.to(imageType);
        using var wide = stored.to(imageType).mul_(blockScales);
        using var flat = wide.view(-1);
        return flat.narrow(0, 0, length);
    }

    public void Dispose()
    {
        stored.Dispose();
        blockScales?.Dispose();
    }
}
