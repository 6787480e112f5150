using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Pyramids;

public class GaussianPyramidTests
{
    private static readonly double[] Taps1D = [0.05, 0.25, 0.4, 0.25, 0.05];

    /// <summary>Independent reference: the full 5×5 kernel (outer product) applied with explicit loops, then every second pixel.</summary>
    private static double[,,] NaiveReduce(double[,,] image, PyramidBorder border)
    {
        int c = image.GetLength(0), h = image.GetLength(1), w = image.GetLength(2);
        int oh = (h + 1) / 2, ow = (w + 1) / 2;
        var result = new double[c, oh, ow];
        for (var ch = 0; ch < c; ch++)
        for (var oy = 0; oy < oh; oy++)
        for (var ox = 0; ox < ow; ox++)
        {
            double sum = 0;
            for (var ky = -2; ky <= 2; ky++)
            for (var kx = -2; kx <= 2; kx++)
            {
                var y = Wrap(2 * oy + ky, h, border);
                var x = Wrap(2 * ox + kx, w, border);
                sum += Taps1D[ky + 2] * Taps1D[kx + 2] * image[ch, y, x];
            }
            result[ch, oy, ox] = sum;
        }
        return result;
    }

    private static int Wrap(int i, int n, PyramidBorder border) => border switch
    {
        PyramidBorder.Circular => ((i % n) + n) % n,
        _ => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i,  // reflect without repeating the edge pixel
    };

    private static double[,,] RandomImage(int c, int h, int w, int seed)
    {
        var rng = new Random(seed);
        var a = new double[c, h, w];
        for (var i = 0; i < c; i++) for (var y = 0; y < h; y++) for (var x = 0; x < w; x++) a[i, y, x] = rng.NextDouble();
        return a;
    }

    private static Tensor ToTensor(double[,,] a)
    {
        int c = a.GetLength(0), h = a.GetLength(1), w = a.GetLength(2);
        var flat = new float[c * h * w];
        var k = 0;
        for (var i = 0; i < c; i++) for (var y = 0; y < h; y++) for (var x = 0; x < w; x++) flat[k++] = (float)a[i, y, x];
        return tensor(flat, [1, c, h, w]);
    }

    [Theory]
    [InlineData(16, 16, PyramidBorder.Reflect)]
    [InlineData(17, 13, PyramidBorder.Reflect)]
    [InlineData(9, 24, PyramidBorder.Reflect)]
    [InlineData(15, 10, PyramidBorder.Circular)]
    [InlineData(16, 16, PyramidBorder.Circular)]
    public void Reduce_matches_a_naive_5x5_convolution(int height, int width, PyramidBorder border)
    {
        using var scope = NewDisposeScope();
        var image = RandomImage(3, height, width, seed: height * 100 + width);
        var expected = NaiveReduce(image, border);
        var actual = GaussianPyramid.Reduce(ToTensor(image), border);

        Assert.Equal(new long[] { 1, 3, (height + 1) / 2, (width + 1) / 2 }, actual.shape);
        var values = actual.data<float>().ToArray();
        var k = 0;
        double maxError = 0;
        foreach (var v in expected) maxError = Math.Max(maxError, Math.Abs(v - values[k++]));
        Assert.True(maxError <= 1e-5, $"max error {maxError}");
    }

    [Fact]
    public void Build_matches_the_naive_reference_across_four_octaves()
    {
        using var scope = NewDisposeScope();
        var image = RandomImage(4, 37, 50, seed: 7);
        var levels = GaussianPyramid.Build(ToTensor(image), 4);
        var reference = image;
        for (var octave = 1; octave < 4; octave++)
        {
            reference = NaiveReduce(reference, PyramidBorder.Reflect);
            var values = levels[octave].data<float>().ToArray();
            var k = 0;
            foreach (var v in reference) Assert.True(Math.Abs(v - values[k++]) <= 1e-5);
        }
    }

    [Fact]
    public void Kernel_is_Burt_Adelson_with_a_04_and_preserves_a_constant_image()
    {
        Assert.Equal(Taps1D, GaussianPyramid.Taps.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        using var scope = NewDisposeScope();
        var flat = full(new long[] { 1, 3, 11, 14 }, 0.3f);
        var reduced = GaussianPyramid.Reduce(flat);
        Assert.True(reduced.sub(0.3f).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void First_level_is_the_input_itself()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, 20, 20);
        var levels = GaussianPyramid.Build(image, 3);
        Assert.Same(image, levels[0]);
        Assert.Equal(3, levels.Count);
    }

    [Theory]
    [InlineData(384, 288, 5, new[] { 384, 192, 96, 48, 24 }, new[] { 288, 144, 72, 36, 18 })]
    [InlineData(101, 57, 4, new[] { 101, 51, 26, 13 }, new[] { 57, 29, 15, 8 })]
    [InlineData(1, 1, 2, new[] { 1, 1 }, new[] { 1, 1 })]
    public void Level_sizes_halve_rounding_up(int width, int height, int octaves, int[] widths, int[] heights)
    {
        var sizes = GaussianPyramid.LevelSizes(width, height, octaves);
        Assert.Equal(widths, sizes.Select(s => s.Width));
        Assert.Equal(heights, sizes.Select(s => s.Height));
    }

    [Fact]
    public void Level_sizes_agree_with_the_tensor_shapes_for_odd_sizes()
    {
        using var scope = NewDisposeScope();
        var levels = GaussianPyramid.Build(rand(1, 3, 45, 33), 4);
        var sizes = GaussianPyramid.LevelSizes(33, 45, 4);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(sizes[i].Width, levels[i].shape[3]);
            Assert.Equal(sizes[i].Height, levels[i].shape[2]);
        }
    }

    [Fact]
    public void Too_many_octaves_is_a_clear_error_naming_the_limit()
    {
        Assert.Equal(6, GaussianPyramid.MaxOctaves(256, 256, 8));
        var e = Assert.Throws<PyramidTooSmallException>(() => GaussianPyramid.EnsureFits(256, 256, 7, 8, "wood.jpg"));
        Assert.Contains("'wood.jpg' is 256×256", e.Message);
        Assert.Contains("smallest level would be 4×4", e.Message);
        Assert.Contains("-Octaves 6 or fewer", e.Message);
        GaussianPyramid.EnsureFits(256, 256, 6, 8);
        var tiny = Assert.Throws<PyramidTooSmallException>(() => GaussianPyramid.EnsureFits(5, 5, 1, 8));
        Assert.Contains("at least 8×8", tiny.Message);
    }

    [Fact]
    public void Reduce_is_differentiable_so_losses_can_use_it()
    {
        using var scope = NewDisposeScope();
        var image = rand(1, 3, 16, 16).requires_grad_(true);
        GaussianPyramid.Reduce(image).sum().backward();
        // Each output pixel's weights sum to 1, 8×8 outputs: total gradient mass is 64 per channel.
        Assert.Equal(3 * 64, image.grad!.sum().item<float>(), 3);
    }
}
