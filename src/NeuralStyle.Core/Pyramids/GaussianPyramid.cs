using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Pyramids;

/// <summary>
/// Burt &amp; Adelson's Gaussian pyramid on tensors: blur with the separable 5-tap kernel
/// (a = 0.4) and keep every second pixel. Octave 1 is the input itself; octave k+1 is octave k
/// reduced. The same code serves Get-StylePyramid and, later, the multi-octave losses, so it runs
/// on any device and is differentiable.
/// </summary>
public static class GaussianPyramid
{
    public const double KernelA = 0.4;

    /// <summary>The smallest side a level may have by default: below that a level shows nothing useful.</summary>
    public const int DefaultMinimumSide = 8;

    /// <summary>[1/4 - a/2, 1/4, a, 1/4, 1/4 - a/2] = [0.05, 0.25, 0.4, 0.25, 0.05]; sums to 1.</summary>
    public static IReadOnlyList<double> Taps { get; } =
        [0.25 - KernelA / 2, 0.25, KernelA, 0.25, 0.25 - KernelA / 2];

    /// <summary>Size of one reduction: keeping pixels 0, 2, 4, … of n leaves ceil(n/2).</summary>
    public static int ReducedSize(int size) => (size + 1) / 2;

    /// <summary>Width and height of every octave, octave 1 first.</summary>
    public static IReadOnlyList<(int Width, int Height)> LevelSizes(int width, int height, int octaves)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(octaves, 1);
        var sizes = new List<(int, int)>(octaves) { (width, height) };
        for (var i = 1; i < octaves; i++)
        {
            (width, height) = (ReducedSize(width), ReducedSize(height));
            sizes.Add((width, height));
        }
        return sizes;
    }

    /// <summary>The most octaves whose smallest level keeps at least <paramref name="minimumSide"/> pixels on each side.</summary>
    public static int MaxOctaves(int width, int height, int minimumSide = DefaultMinimumSide)
    {
        var octaves = 0;
        while (Math.Min(width, height) >= minimumSide)
        {
            octaves++;
            (width, height) = (ReducedSize(width), ReducedSize(height));
        }
        return octaves;
    }

    /// <summary>Throws <see cref="PyramidTooSmallException"/> when the smallest level would be under the minimum side.</summary>
    public static void EnsureFits(int width, int height, int octaves, int minimumSide = DefaultMinimumSide, string? source = null)
    {
        var smallest = LevelSizes(width, height, octaves)[^1];
        if (Math.Min(smallest.Width, smallest.Height) < minimumSide)
            throw new PyramidTooSmallException(source, width, height, octaves, smallest.Width, smallest.Height, minimumSide,
                MaxOctaves(width, height, minimumSide));
    }

    /// <summary>Blurs every channel of an [N,C,H,W] tensor with the 5-tap kernel, separably, keeping its size.</summary>
    public static Tensor Blur(Tensor image, PyramidBorder border = PyramidBorder.Reflect)
    {
        if (image.dim() != 4) throw new ArgumentException("Expected an [N,C,H,W] tensor.", nameof(image));
        if (border == PyramidBorder.Reflect && (image.shape[2] < 3 || image.shape[3] < 3))
            throw new ArgumentException($"A reflected 5-tap blur needs at least 3×3 pixels, got {image.shape[3]}×{image.shape[2]}.", nameof(image));
        using var scope = NewDisposeScope();
        var c = image.shape[1];
        var taps = tensor(Taps.Select(t => (float)t).ToArray(), dtype: image.dtype, device: image.device);
        var mode = border == PyramidBorder.Reflect ? PaddingModes.Reflect : PaddingModes.Circular;
        // One kernel per channel (a depthwise convolution) serves RGB, alpha and feature maps alike. Channels as
        // batch entries of a single-channel convolution give the same bits, but libtorch's backward pass for those
        // held 3.2 GB of buffers at 4096², the peak of a block-wise step, and took twice as long (bench/README.md, "The
        // 4096² step's peak, found and cut").
        var x = nn.functional.conv2d(nn.functional.pad(image, [2, 2, 0, 0], mode), taps.reshape(1, 1, 1, 5).repeat(c, 1, 1, 1), groups: c);
        x = nn.functional.conv2d(nn.functional.pad(x, [0, 0, 2, 2], mode), taps.reshape(1, 1, 5, 1).repeat(c, 1, 1, 1), groups: c);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>One pyramid step: blur, then keep every second row and column.</summary>
    public static Tensor Reduce(Tensor image, PyramidBorder border = PyramidBorder.Reflect)
    {
        using var scope = NewDisposeScope();
        var blurred = Blur(image, border);
        return blurred[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)].contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// All octaves of <paramref name="image"/>: element 0 is <paramref name="image"/> itself (not a copy),
    /// the others are new tensors the caller owns.
    /// </summary>
    public static IReadOnlyList<Tensor> Build(Tensor image, int octaves, PyramidBorder border = PyramidBorder.Reflect)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(octaves, 1);
        var levels = new List<Tensor>(octaves) { image };
        for (var i = 1; i < octaves; i++) levels.Add(Reduce(levels[^1], border));
        return levels;
    }
}
