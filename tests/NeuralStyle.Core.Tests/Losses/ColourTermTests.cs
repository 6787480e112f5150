using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Support;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

public class ColourTermTests
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
        var values = image.detach().clone();
        var flat = values.view(-1);
        var rng = new Random(7);
        const double h = 1e-7;
        for (var k = 0; k < 12; k++)
        {
            var index = rng.Next((int)values.numel());
            var original = flat[index].item<double>();
            flat[index] = original + h;
            var plus = evaluator.Evaluate(values).Total.item<double>();
            flat[index] = original - h;
            var minus = evaluator.Evaluate(values).Total.item<double>();
            flat[index] = original;
            var numeric = (plus - minus) / (2 * h);
            var error = Math.Abs(numeric - analytic[index]) / Math.Max(1e-8, Math.Abs(numeric) + Math.Abs(analytic[index]));
            Assert.True(error < 1e-4, $"pixel {index}: numeric {numeric}, analytic {analytic[index]}, relative error {error}");
        }
    }
}
