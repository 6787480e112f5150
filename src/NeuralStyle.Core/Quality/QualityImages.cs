using NeuralStyle.Core.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>Input checks and conversions the quality metrics share.</summary>
public static class QualityImages
{
    public static void EnsureRgb(Tensor image, string name)
    {
        if (image.dim() != 4 || image.shape[0] != 1 || image.shape[1] != 3)
            throw new ArgumentException($"Expected a [1,3,H,W] RGB image, got [{string.Join(",", image.shape)}].", name);
    }

    /// <summary>[1,1,H,W] luminance (YIQ's Y, the engine's colour space) of a [1,3,H,W] RGB image, in float64 on the CPU.</summary>
    public static Tensor Luminance(Tensor rgb)
    {
        EnsureRgb(rgb, nameof(rgb));
        using var scope = NewDisposeScope();
        return ColorSpace.RgbToYiq(rgb.cpu().to(ScalarType.Float64))[.., 0..1].contiguous().MoveToOuterDisposeScope();
    }
}
