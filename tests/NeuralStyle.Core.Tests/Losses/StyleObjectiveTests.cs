using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Support;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

public class StyleObjectiveTests
{
    private static readonly StyleLayer[] Layers = [new("relu1", 1), new("pool1", 0.5), new("relu2", 2)];

    private static Tensor RandomImage(int seed, int size = 16) =>
        rand([1, 3, size, size], dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static WholeImageEvaluator Whole(TinyFeatureNetwork network, Objective objective) => new(network, objective);

    private static Objective For(StyleTargets? style, ContentTarget? content, LossWeights weights, PyramidBorder border = PyramidBorder.Reflect) =>
        Objective.For(style, content, weights, border, NetworkPadding.Zeros);

    [Theory]
    [InlineData(PyramidBorder.Reflect)]
    [InlineData(PyramidBorder.Circular)]
    public void Gradient_of_the_full_objective_matches_central_finite_differences(PyramidBorder border)
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var padding = border == PyramidBorder.Circular ? NetworkPadding.Circular : NetworkPadding.Zeros;
        using var style = new RgbImage(RandomImage(11, 20));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], octaves: 2, padding);
        using var content = ContentTarget.Read(network, RandomImage(12), "relu2", padding);
        var objective = Whole(network, Objective.For(targets, content, new LossWeights(1, 10, 0.5), border, padding));

        var image = RandomImage(13).requires_grad_(true);
        objective.Evaluate(image).Total.backward();
        var analytic = image.grad!.data<double>().ToArray();
        GradientCheck.AtRandomPixels(v => objective.Evaluate(v).Total.item<double>(), image, analytic, seed: 4, h: 1e-6, floor: 1e-6, tolerance: 1e-5);
    }

    [Fact]
    public void Style_loss_is_zero_on_every_octave_when_the_image_is_the_style()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var pixels = RandomImage(21, 32);
        using var style = new RgbImage(pixels.clone());
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], octaves: 3, NetworkPadding.Zeros);
        var objective = Whole(network, For(targets, null, new LossWeights(0, 1, 0)));
        var terms = objective.Evaluate(pixels).Terms;
        Assert.True(terms.Style < 1e-20, $"style loss {terms.Style}");
        // The same image shifted by a few pixels has nearly the same statistics; a different one does not.
        Assert.True(objective.Evaluate(RandomImage(22, 32)).Terms.Style > 1e-4);
    }

    [Fact]
    public void Several_sources_are_joined_by_the_weighted_mean_of_their_grams()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var a = new RgbImage(RandomImage(31));
        using var b = new RgbImage(RandomImage(32));
        using var joined = StyleTargets.Compute(network, Layers, [new StyleSource(a, 3), new StyleSource(b, 1)], 2, NetworkPadding.Zeros);
        using var onlyA = StyleTargets.Compute(network, Layers, [new StyleSource(a)], 2, NetworkPadding.Zeros);
        using var onlyB = StyleTargets.Compute(network, Layers, [new StyleSource(b)], 2, NetworkPadding.Zeros);
        for (var o = 0; o < 2; o++)
        for (var l = 0; l < Layers.Length; l++)
        {
            var expected = onlyA.Gram(o, l).mul(0.75).add(onlyB.Gram(o, l).mul(0.25));
            Assert.True(joined.Gram(o, l).allclose(expected, 1e-10, 1e-12));
        }
    }

    [Fact]
    public void Style_targets_are_computed_on_each_octave_of_the_pyramid()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var pixels = RandomImage(41, 32);
        using var style = new RgbImage(pixels);
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], 3, NetworkPadding.Zeros);
        var level2 = GaussianPyramid.Build(pixels, 3)[2];
        var expected = GramMatrix.Compute(network.Forward(network.Preprocess(level2), ["relu2"])["relu2"]);
        Assert.True(targets.Gram(2, 2).allclose(expected, 1e-12, 1e-14));
    }

    [Fact]
    public void Content_loss_is_zero_at_the_content_image_and_relative_elsewhere()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var pixels = RandomImage(51);
        using var content = ContentTarget.Read(network, pixels, "relu2", NetworkPadding.Zeros);
        var objective = Whole(network, For(null, content, new LossWeights(2, 0, 0)));
        Assert.Equal(0, objective.Evaluate(pixels).Terms.Content, 12);
        // A black image has zero-mean-free features unrelated to the content: a relative error of order 1, times the weight.
        var far = objective.Evaluate(zeros_like(pixels)).Terms.Content;
        Assert.InRange(far, 0.02, 20);
    }

    [Fact]
    public void Total_variation_is_zero_for_a_flat_image_and_counts_the_wrap_around_when_circular()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var style = new RgbImage(RandomImage(61));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], 1, NetworkPadding.Zeros);
        var flat = full([1, 3, 8, 8], 0.5, dtype: ScalarType.Float64);
        Assert.Equal(0, Whole(network, For(targets, null, new LossWeights(0, 1, 1))).Evaluate(flat).Terms.TotalVariation, 15);

        // A horizontal ramp: smooth inside, one jump at the wrap-around.
        var ramp = linspace(0, 1, 8, dtype: ScalarType.Float64).reshape(1, 1, 1, 8).expand(1, 3, 8, 8).contiguous();
        var plain = Whole(network, For(targets, null, new LossWeights(0, 1, 1))).Evaluate(ramp).Terms.TotalVariation;
        var circular = Whole(network, For(targets, null, new LossWeights(0, 1, 1), PyramidBorder.Circular)).Evaluate(ramp).Terms.TotalVariation;
        Assert.True(circular > plain * 5, $"plain {plain}, circular {circular}");
    }
}
