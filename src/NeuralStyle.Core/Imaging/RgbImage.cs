using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Imaging;

/// <summary>
/// An image as the engine sees it: colour as an NCHW float32 tensor [1,3,H,W] in [0,1],
/// and, when the source had one, its alpha kept aside as [1,1,H,W] so it can be re-attached to outputs.
/// Owns its tensors: they are detached from any dispose scope and freed by <see cref="Dispose"/>.
/// </summary>
public sealed class RgbImage : IDisposable
{
    public RgbImage(Tensor rgb, Tensor? alpha = null, int sourceBitDepth = 8)
    {
        if (rgb.dim() != 4 || rgb.shape[0] != 1 || rgb.shape[1] != 3)
            throw new ArgumentException($"Expected a [1,3,H,W] tensor, got [{string.Join(",", rgb.shape)}].", nameof(rgb));
        if (alpha is not null && (alpha.dim() != 4 || alpha.shape[1] != 1 || alpha.shape[2] != rgb.shape[2] || alpha.shape[3] != rgb.shape[3]))
            throw new ArgumentException($"Alpha must be [1,1,{rgb.shape[2]},{rgb.shape[3]}], got [{string.Join(",", alpha.shape)}].", nameof(alpha));
        Rgb = rgb.DetachFromDisposeScope();
        Alpha = alpha?.DetachFromDisposeScope();
        SourceBitDepth = sourceBitDepth;
    }

    /// <summary>[1,3,H,W] float32 in [0,1].</summary>
    public Tensor Rgb { get; }

    /// <summary>[1,1,H,W] float32 in [0,1], or null when the source was opaque.</summary>
    public Tensor? Alpha { get; }

    /// <summary>Bits per channel of the decoded source (8 or 16); 16-bit sources can be written back losslessly as 16-bit PNG.</summary>
    public int SourceBitDepth { get; }

    public int Width => (int)Rgb.shape[3];
    public int Height => (int)Rgb.shape[2];
    public bool HasAlpha => Alpha is not null;

    public void Dispose()
    {
        Rgb.Dispose();
        Alpha?.Dispose();
    }
}
