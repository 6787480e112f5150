using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Quality;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.Core.Tests.Support;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Quality;

/// <summary>The quality metrics on a real texture (examples/, 128 px): each moves for what it claims to see, and only for that.</summary>
public class QualityMetricTests
{
    [Fact]
    public void An_image_against_itself_scores_zero_and_correlates_fully()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg");
        var scores = QualityMeter.Measure(image, image.clone(), content: image.clone());
        Assert.Equal(0, scores.Color);
        Assert.Equal(0, scores.Spectrum);
        Assert.All(scores.Patch, d => Assert.Equal(0, d));
        Assert.Equal(1, scores.EdgeCorrelation!.Value, 12);
    }

    [Fact]
    public void A_blurred_copy_raises_the_spectrum_distance_through_its_high_bands()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg");
        var blurred = GaussianPyramid.Blur(GaussianPyramid.Blur(image));
        var distance = SpectrumDistance.Measure(blurred, image);
        Assert.True(distance > 0.5, $"spectrum distance of a blurred copy {distance:F3} decades");
        var lowest = PowerSpectrum.LowestFor(image);
        var sharp = PowerSpectrum.LogBandPower(image, lowest);
        var soft = PowerSpectrum.LogBandPower(blurred, lowest);
        Assert.True(soft[^1] < sharp[^1] - 1, $"highest band: {soft[^1]:F2} blurred vs {sharp[^1]:F2}");
        Assert.True(Math.Abs(soft[0] - sharp[0]) < 0.05, $"lowest band: {soft[0]:F3} blurred vs {sharp[0]:F3}");
    }

    [Fact]
    public void A_colour_shifted_copy_raises_the_colour_distance_and_not_the_patch_distance()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg").mul(0.8).add(0.1);
        var shifted = image.add(tensor(new float[] { 0.08f, -0.06f, 0.04f }).reshape(1, 3, 1, 1));
        var other = Texture("fabric-morris.jpg");
        Assert.True(ColorDistance.Measure(shifted, image) > 0.03, $"colour {ColorDistance.Measure(shifted, image):F4}");
        var patch = PatchDistance.Measure(shifted, image);
        var unrelated = PatchDistance.Measure(other, image);
        for (var k = 0; k < PatchDistance.Levels; k++)
            Assert.True(patch[k] < 1e-3 * unrelated[k], $"L{k}: shifted {patch[k]:G3}, another texture {unrelated[k]:G3}");
    }

    [Fact]
    public void Shuffling_blocks_raises_the_coarse_patch_levels_more_than_the_finest()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg");
        var shuffled = ShuffleBlocks(image, block: 16, seed: 3);
        var d = PatchDistance.Measure(shuffled, image);
        Assert.True(d[2] > 2 * d[0] && d[3] > 2 * d[0], $"L0..L3: {string.Join(", ", d.Select(x => x.ToString("F4")))}");
    }

    [Fact]
    public void Large_patch_sets_are_sampled_the_same_way_for_the_same_image()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg", 256);
        var d = PatchDistance.Measure(image, image.clone());
        Assert.True(PatchDistance.Descriptors(image).shape[0] > PatchDistance.MaxPatches);
        Assert.All(d, x => Assert.Equal(0, x));
        Assert.Equal(PatchDistance.MaxPatches, PatchDistance.Sample(PatchDistance.Descriptors(image), 1).shape[0]);
    }

    [Fact]
    public void Edge_correlation_with_noise_is_near_zero()
    {
        using var scope = NewDisposeScope();
        var image = Texture("wood-planks.jpg");
        var noise = rand(image.shape, generator: new Generator(5));
        Assert.True(Math.Abs(EdgeCorrelation.Measure(noise, image)) < 0.15);
    }

    [Fact]
    public void The_floor_compares_two_disjoint_halves_across_the_longer_side()
    {
        using var scope = NewDisposeScope();
        var image = rand([1, 3, 40, 65], generator: new Generator(1));
        var (first, second) = QualityMeter.Halves(image);
        Assert.Equal(new long[] { 1, 3, 40, 32 }, first.shape);
        Assert.True(first.equal(image[.., .., .., 0..32]).all().item<bool>());
        Assert.True(second.equal(image[.., .., .., 33..65]).all().item<bool>());
    }

    // ---- against naive computations

    [Fact]
    public void Band_powers_match_a_naive_DFT()
    {
        using var scope = NewDisposeScope();
        const int h = 10, w = 13;
        var image = rand([1, 3, h, w], generator: new Generator(7), dtype: ScalarType.Float64);
        var lowest = 2.0 / h;
        var actual = PowerSpectrum.LogBandPower(image, lowest);
        var expected = NaiveLogBandPower(image, lowest);
        Assert.Equal(expected.Select(double.IsNaN), actual.Select(double.IsNaN));
        Assert.Contains(actual, v => !double.IsNaN(v));
        for (var i = 0; i < expected.Length; i++)
            if (!double.IsNaN(expected[i])) Assert.Equal(expected[i], actual[i], 1e-6); // the luminance coefficients are float32
    }

    [Fact]
    public void Sliced_Wasserstein_in_one_dimension_is_the_mean_gap_of_the_sorted_samples()
    {
        using var scope = NewDisposeScope();
        var a = randn([300, 1], generator: new Generator(1));
        var b = randn([300, 1], generator: new Generator(2)).mul(1.5).add(0.3);
        var sa = a.flatten().sort().Values.data<float>().ToArray();
        var sb = b.flatten().sort().Values.data<float>().ToArray();
        var expected = sa.Zip(sb, (x, y) => Math.Abs((double)x - y)).Average();
        Assert.Equal(expected, SlicedWasserstein.Distance(a, b, directions: 5, repeats: 2, quantiles: 300, seed: 1), 5);
    }

    [Fact]
    public void Patch_descriptors_are_the_level_s_7x7x3_crops_normalised_per_channel()
    {
        using var scope = NewDisposeScope();
        var level = rand([1, 3, 9, 11], generator: new Generator(4)).mul(tensor(new float[] { 1, 3, 0.5f }).reshape(1, 3, 1, 1));
        var descriptors = PatchDistance.Descriptors(level);
        Assert.Equal(new long[] { 3 * 5, 147 }, descriptors.shape);
        var crops = Enumerable.Range(0, 3).SelectMany(r => Enumerable.Range(0, 5).Select(c => level[0, .., r..(r + 7), c..(c + 7)].reshape(3, 49))).ToList();
        var all = stack(crops);
        var mean = all.mean([0, 2], keepdim: true);
        var std = all.std([0, 2], keepdim: true);
        // Patch at row 2, column 4 is the 2·5 + 4 = 14th.
        var expected = crops[14].sub(mean[0]).div(std[0]).flatten();
        Assert.True(descriptors[14].allclose(expected, 1e-4, 1e-5));
    }

    [Fact]
    public void The_Laplacian_pyramid_of_a_flat_image_is_zero_detail_over_the_flat_colour()
    {
        using var scope = NewDisposeScope();
        var flat = full([1, 3, 37, 50], 0.3f);
        var levels = LaplacianPyramid.Build(flat, 4);
        Assert.Equal(new long[] { 1, 3, 5, 7 }, levels[3].shape);
        for (var k = 0; k < 3; k++) Assert.True(levels[k].abs().max().item<float>() < 1e-6, $"L{k}");
        Assert.True(levels[3].sub(0.3f).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void Expanding_one_coarse_sample_spreads_four_times_the_kernel_around_its_fine_pixel()
    {
        using var scope = NewDisposeScope();
        var coarse = zeros([1, 1, 5, 5]);
        coarse[0, 0, 2, 2] = tensor(1f);
        var fine = LaplacianPyramid.Expand(coarse, 10, 10);
        var taps = GaussianPyramid.Taps.Select(t => (float)t).ToArray();
        var expected = zeros([1, 1, 10, 10]);
        for (var r = 0; r < 5; r++)
            for (var c = 0; c < 5; c++)
                expected[0, 0, 2 + r, 2 + c] = tensor(4 * taps[r] * taps[c]);
        Assert.True(fine.allclose(expected, 1e-6, 1e-7));
    }

    private static double[] NaiveLogBandPower(Tensor rgb, double lowest)
    {
        int h = (int)rgb.shape[2], w = (int)rgb.shape[3];
        var pixels = rgb[0].data<double>().ToArray();
        var y = new double[h, w];
        for (var r = 0; r < h; r++)
            for (var c = 0; c < w; c++)
                y[r, c] = 0.299 * pixels[r * w + c] + 0.587 * pixels[h * w + r * w + c] + 0.114 * pixels[2 * h * w + r * w + c];
        var mean = y.Cast<double>().Average();
        double Hann(int i, int n) => 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1));
        var windowEnergy = 0.0;
        for (var r = 0; r < h; r++)
            for (var c = 0; c < w; c++)
                windowEnergy += Math.Pow(Hann(r, h) * Hann(c, w), 2);
        var edges = Enumerable.Range(0, 25).Select(i => lowest * Math.Pow(0.5 / lowest, i / 24.0)).ToArray();
        var sums = new double[24];
        var counts = new int[24];
        for (var u = 0; u < h; u++)
            for (var v = 0; v < w; v++)
            {
                double re = 0, im = 0;
                for (var r = 0; r < h; r++)
                    for (var c = 0; c < w; c++)
                    {
                        var x = (y[r, c] - mean) * Hann(r, h) * Hann(c, w);
                        var angle = -2 * Math.PI * ((double)u * r / h + (double)v * c / w);
                        re += x * Math.Cos(angle);
                        im += x * Math.Sin(angle);
                    }
                double fy = (u < (h + 1) / 2 ? u : u - h) / (double)h, fx = (v < (w + 1) / 2 ? v : v - w) / (double)w;
                var radius = Math.Sqrt(fx * fx + fy * fy);
                for (var band = 0; band < 24; band++)
                    if (radius >= edges[band] && (radius < edges[band + 1] || (band == 23 && radius <= edges[24])))
                    {
                        sums[band] += (re * re + im * im) / windowEnergy;
                        counts[band]++;
                    }
            }
        return sums.Select((s, i) => counts[i] == 0 ? double.NaN : Math.Log10(s / counts[i] + 1e-30)).ToArray();
    }

    private static Tensor ShuffleBlocks(Tensor image, int block, int seed)
    {
        long h = image.shape[2] / block, w = image.shape[3] / block;
        var blocks = image.reshape(1, 3, h, block, w, block).permute(0, 2, 4, 1, 3, 5).reshape(h * w, 3, block, block);
        var order = randperm(h * w, generator: new Generator((ulong)seed));
        return blocks.index_select(0, order).reshape(1, h, w, 3, block, block).permute(0, 3, 1, 4, 2, 5).reshape(1, 3, h * block, w * block);
    }

    /// <summary>A bundled example texture (examples/, 256² in every clone) at size×size.</summary>
    private static Tensor Texture(string name, int size = 128)
    {
        using var image = ImageCodec.Read(RepositoryFiles.Example(name));
        return Resampler.Resize(image.Rgb, size, size);
    }
}
