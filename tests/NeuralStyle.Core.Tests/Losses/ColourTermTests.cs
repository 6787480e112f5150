using System.Globalization;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

// Alone: Peak_memory_is_within_its_estimate reads the process's resident peak.
[Collection(ProcessMemoryCollection.Name)]
public class ColourTermTests(ITestOutputHelper output)
{
    private static readonly StyleLayer[] Layers = [new("relu1", 1)];

    private static Tensor RandomImage(int seed, int size) =>
        rand([1, 3, size, size], dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static double Colour(WholeImageEvaluator evaluator, Tensor image) => evaluator.Evaluate(image).Terms.Style;

    [Fact]
    public void Sees_the_palette_not_the_arrangement()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var pixels = RandomImage(31, 24);
        using var source = new RgbImage(pixels.clone());
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        Assert.Contains(Objective.For(targets, null, new LossWeights(0, 1, 0, 1), PyramidBorder.Reflect, NetworkPadding.Zeros).Terms, t => t is ColourTerm);
        Assert.DoesNotContain(Objective.For(targets, null, new LossWeights(0, 1, 0), PyramidBorder.Reflect, NetworkPadding.Zeros).Terms, t => t is ColourTerm);
        var evaluator = new WholeImageEvaluator(network, new Objective([new ColourTerm(targets, 0, 1)], 1, PyramidBorder.Reflect, NetworkPadding.Zeros));

        var shuffled = pixels.view(1, 3, -1).index_select(2, randperm(24 * 24, generator: new Generator(5))).view(1, 3, 24, 24);
        var warmer = pixels.mul(tensor(new[] { 1.0, 0.8, 0.6 }, dtype: ScalarType.Float64).view(1, 3, 1, 1));
        Assert.True(Colour(evaluator, pixels) < 1e-20, "the source itself");
        Assert.True(Colour(evaluator, shuffled) < 1e-20, "the same pixels rearranged: the same palette");
        Assert.True(Colour(evaluator, warmer) > 0.05, $"a colour cast: {Colour(evaluator, warmer)}");
        Assert.True(Colour(evaluator, RandomImage(32, 24).mul(0.5)) > Colour(evaluator, RandomImage(32, 24)) * 10,
            "a darker palette costs more than another sample of the same one");
    }

    [Fact]
    public void Gradient_matches_central_finite_differences_at_another_size()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var source = new RgbImage(RandomImage(41, 20));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        var term = new ColourTerm(targets, 0, 2.0);
        var evaluator = new WholeImageEvaluator(network, new Objective([term], 1, PyramidBorder.Reflect, NetworkPadding.Zeros));

        // 12×12 against a 20×20 source: the target quantiles are resampled to the image's pixel count.
        var image = RandomImage(42, 12).requires_grad_(true);
        evaluator.Evaluate(image).Total.backward();
        var analytic = image.grad!.data<double>().ToArray();
        GradientCheck.AtRandomPixels(v => evaluator.Evaluate(v).Total.item<double>(), image, analytic, seed: 7, h: 1e-7, floor: 1e-8, tolerance: 1e-4);
    }

    /// <summary>
    /// The straightforward formula through autograd, written out here independently of the term:
    /// mean over directions and pixels of (sorted projection − resampled source quantile)², ÷ variance, × weight.
    /// </summary>
    private static Tensor AutogradReference(StyleTargets targets, Tensor image, double weight)
    {
        var (directions, sorted, variance) = targets.Colours(0);
        var pixels = image[0].reshape(3, -1);
        var projected = directions.t().matmul(pixels).sort(1).Values;
        var target = sorted.shape[1] == projected.shape[1]
            ? sorted
            : nn.functional.interpolate(sorted.unsqueeze(0), size: [projected.shape[1]], mode: InterpolationMode.Linear, align_corners: true).squeeze(0);
        return projected.sub(target).square().mean().div(variance).mul(weight);
    }

    private static double RelativeDifference(Tensor a, Tensor b) =>
        a.sub(b).abs().max().ToDouble() / Math.Max(1e-30, b.abs().max().ToDouble());

    /// <summary>
    /// The term computes value and gradient in closed form, one direction at a time; both must be the
    /// autograd formula's, with the source resampled to the image's pixel count and without (equal counts).
    /// </summary>
    [Theory]
    [InlineData(ScalarType.Float64, 12, 1e-12)]
    [InlineData(ScalarType.Float64, 20, 1e-12)]
    [InlineData(ScalarType.Float32, 12, 1e-5)]
    [InlineData(ScalarType.Float32, 33, 1e-5)]
    public void Value_and_gradient_equal_the_autograd_formula(ScalarType dtype, int size, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork(dtype: dtype);
        using var source = new RgbImage(RandomImage(51, 20).to(dtype));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        var image = RandomImage(52, size).to(dtype).requires_grad_(true);
        var reference = image.detach().clone().requires_grad_(true);

        var loss = new ColourTerm(targets, 0, 0.7).Loss(new LevelFeatures(image, new Dictionary<string, Tensor>()));
        loss.backward();
        var expected = AutogradReference(targets, reference, 0.7);
        expected.backward();

        var valueError = Math.Abs(loss.ToDouble() - expected.ToDouble()) / expected.ToDouble();
        Assert.True(valueError < tolerance, $"value {loss.ToDouble()} vs {expected.ToDouble()}: relative {valueError}");
        var gradientError = RelativeDifference(image.grad!, reference.grad!);
        Assert.True(gradientError < tolerance, $"gradient: relative {gradientError}");
    }

    /// <summary>An image that needs no gradient (the term evaluated for its value alone) gets the same value.</summary>
    [Fact]
    public void Value_is_the_same_without_a_gradient()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var source = new RgbImage(RandomImage(61, 20));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        var term = new ColourTerm(targets, 0, 1.3);
        var image = RandomImage(62, 16);
        var plain = term.Loss(new LevelFeatures(image, new Dictionary<string, Tensor>()));
        var withGradient = term.Loss(new LevelFeatures(image.clone().requires_grad_(true), new Dictionary<string, Tensor>()));
        Assert.False(plain.requires_grad);
        Assert.Equal(AutogradReference(targets, image, 1.3).item<double>(), plain.item<double>(), 1e-15);
        Assert.Equal(plain.item<double>(), withGradient.item<double>());
    }

    /// <summary>The gradient along a random direction of every pixel at once is the central difference of the value.</summary>
    [Fact]
    public void Directional_derivative_matches_a_central_difference()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var source = new RgbImage(RandomImage(71, 20));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        var term = new ColourTerm(targets, 0, 0.9);
        double Value(Tensor x) => term.Loss(new LevelFeatures(x, new Dictionary<string, Tensor>())).item<double>();

        var image = RandomImage(72, 14).requires_grad_(true);
        term.Loss(new LevelFeatures(image, new Dictionary<string, Tensor>())).backward();
        var direction = randn([1, 3, 14, 14], dtype: ScalarType.Float64, generator: new Generator(73));
        var analytic = image.grad!.mul(direction).sum().item<double>();
        // Small enough that no two projections swap ranks (the loss has a kink where they do), large enough for float64.
        const double h = 1e-8;
        var x = image.detach();
        var numeric = (Value(x.add(direction.mul(h))) - Value(x.sub(direction.mul(h)))) / (2 * h);
        var error = Math.Abs(numeric - analytic) / Math.Abs(analytic);
        Assert.True(error < 1e-5, $"numeric {numeric}, analytic {analytic}, relative error {error}");
    }

    /// <summary>
    /// The term's value and backward pass on a float32 image raise the resident peak by no more than
    /// <see cref="ColourTerm.PeakBytesPerPixel"/> per pixel (the memory estimate counts it so): the
    /// slope between 512² and 1024², so that allocations of a fixed size (the runtime's, other threads')
    /// do not count. Through autograd it needed ~700 bytes per pixel.
    /// </summary>
    [SkippableFact]
    public void Peak_memory_is_within_its_estimate()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the peak is read from /proc/self/status, glibc's malloc tuned for it");
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork(dtype: ScalarType.Float32);
        using var source = new RgbImage(rand([1, 3, 96, 96], generator: new Generator(81)));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(source)], octaves: 1, NetworkPadding.Zeros);
        var term = new ColourTerm(targets, 0, 0.3);
        // The gradient's own buffer, made by the first step, is the evaluator's, not the term's.
        var (perPixel, small, large) = ProcessStatus.PeakPerPixel(image => () =>
        {
            using var step = NewDisposeScope();
            term.Loss(new LevelFeatures(image, new Dictionary<string, Tensor>())).backward();
        }, seed: 82);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"colour term: {perPixel:F1} bytes per pixel ({small / (512.0 * 512):F1} at 512², {large / (1024.0 * 1024):F1} at 1024², fixed costs included)"));
        Assert.True(perPixel <= ColourTerm.PeakBytesPerPixel, $"{perPixel:F1} bytes per pixel, estimated {ColourTerm.PeakBytesPerPixel}");
    }
}
