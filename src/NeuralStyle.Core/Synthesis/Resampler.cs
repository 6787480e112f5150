using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Resizes images for the engine. Downscaling halves with the pyramid's blur while the factor is at
/// least 2, then finishes with an area resize: a direct large-factor downscale aliases and puts
/// noise into the result.
/// </summary>
public static class Resampler
{
    public static Tensor Resize(Tensor image, int width, int height)
    {
        using var scope = NewDisposeScope();
        var x = image;
        while (x.shape[3] >= 2L * width && x.shape[2] >= 2L * height && Math.Min(x.shape[2], x.shape[3]) >= 3)
            x = GaussianPyramid.Reduce(x);
        if (x.shape[3] != width || x.shape[2] != height)
        {
            var shrinking = x.shape[3] > width && x.shape[2] > height;
            x = nn.functional.interpolate(x, size: [height, width], mode: shrinking ? InterpolationMode.Area : InterpolationMode.Bicubic,
                align_corners: shrinking ? null : false);
        }
        return (ReferenceEquals(x, image) ? x.clone() : x).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>Width and height with the long side at most <paramref name="maxSide"/>, aspect kept; never enlarged.</summary>
    public static (int Width, int Height) Fit(int width, int height, int maxSide)
    {
        var scale = Math.Min(1.0, (double)maxSide / Math.Max(width, height));
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }

    /// <summary>Width and height times <paramref name="scale"/>, each at least 1 pixel.</summary>
    public static (int Width, int Height) ScaleBy(int width, int height, double scale) =>
        (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));

    /// <summary>Width and height scaled so the long side is exactly <paramref name="longSide"/>.</summary>
    public static (int Width, int Height) ScaleTo(int width, int height, int longSide)
    {
        var scale = (double)longSide / Math.Max(width, height);
        return (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
