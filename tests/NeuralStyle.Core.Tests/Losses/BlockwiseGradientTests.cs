using TorchSharp;
using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Features;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Networks;
using NeuralStyle.Core.Tests.Support;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

/// <summary>
/// Block-wise evaluation must give the whole-image loss and gradient, not an approximation: the
/// same objective evaluated both ways, with tiles small enough that every level has several.
/// </summary>
public class BlockwiseGradientTests(ResNet18NetworkFixture fixture) : IClassFixture<ResNet18NetworkFixture>
{
    private static Tensor Image(int seed, int width, int height, ScalarType dtype) =>
        rand([1, 3, height, width], dtype: dtype, generator: new Generator((ulong)seed));

    /// <summary>Loss terms and gradient of one evaluation, whole-image (tileSize 0) or block-wise.</summary>
    private static (LossTerms Terms, Tensor Gradient) Evaluate(IFeatureNetwork network, Objective objective, Tensor image, int tileSize = 0)
    {
        var pixels = image.detach().clone().requires_grad_(true);
        var terms = Evaluator.For(network, objective, tileSize).EvaluateWithGradient(pixels);
        return (terms, pixels.grad!.detach().clone());
    }

    private static void AssertSame((LossTerms Terms, Tensor Gradient) whole, (LossTerms Terms, Tensor Gradient) tiled, double tolerance)
    {
        Assert.Equal(whole.Terms.Style, tiled.Terms.Style, tolerance * Math.Abs(whole.Terms.Style));
        Assert.Equal(whole.Terms.Content, tiled.Terms.Content, tolerance * Math.Abs(whole.Terms.Content) + 1e-12);
        Assert.Equal(whole.Terms.TotalVariation, tiled.Terms.TotalVariation, tolerance * Math.Abs(whole.Terms.TotalVariation) + 1e-12);
        var scale = whole.Gradient.abs().max().ToDouble();
        var error = whole.Gradient.sub(tiled.Gradient).abs().max().ToDouble() / scale;
        Assert.True(error < tolerance, $"largest gradient difference {error:e2} of the largest gradient");
        Assert.True(scale > 0);
    }

    [Theory]
    [InlineData(PyramidBorder.Reflect)]
    [InlineData(PyramidBorder.Circular)]
    public void Tiny_network_in_float64_gives_the_whole_image_gradient(PyramidBorder border)
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        var padding = border == PyramidBorder.Circular ? NetworkPadding.Circular : NetworkPadding.Zeros;
        StyleLayer[] layers = [new("relu1", 1), new("pool1", 0.5), new("relu2", 2), new(FeatureReader.Pixels, 1)];
        using var style = new RgbImage(Image(1, 30, 26, ScalarType.Float64));
        using var targets = StyleTargets.Compute(network, layers, [new StyleSource(style)], octaves: 3, padding);
        using var content = ContentTarget.Read(network, Image(2, 40, 32, ScalarType.Float64), "relu2", padding);
        var weights = new LossWeights(1, 10, 0.5);
        var image = Image(3, 40, 32, ScalarType.Float64);
        var objective = Objective.For(targets, content, weights, border, padding);

        var whole = Evaluate(network, objective, image);
        var tiled = Evaluate(network, objective, image, tileSize: 8);
        AssertSame(whole, tiled, 1e-10);
    }

    [Theory]
    [InlineData(PyramidBorder.Reflect, false)]
    [InlineData(PyramidBorder.Circular, false)]
    [InlineData(PyramidBorder.Reflect, true)]
    public void ResNet18_gives_the_whole_image_gradient_to_float_precision(PyramidBorder border, bool withContent)
    {
        using var scope = NewDisposeScope();
        var network = fixture.Network;
        var padding = border == PyramidBorder.Circular ? NetworkPadding.Circular : NetworkPadding.Reflect;
        var profile = NetworkProfiles.ResNet18;
        using var style = new RgbImage(Image(4, 96, 96, ScalarType.Float32));
        using var targets = StyleTargets.Compute(network, profile.StyleLayers, [new StyleSource(style)], octaves: 2, padding);
        // 160×128 with 48 px cores: 4×3 tiles on the first level, 2×2 on the second, with 112 px halos.
        var image = Image(5, 160, 128, ScalarType.Float32);
        using var content = withContent ? ContentTarget.Read(network, Image(6, 160, 128, ScalarType.Float32), profile.ContentLayer, padding) : null;
        var weights = withContent ? profile.TransferWeights : profile.TextureWeights;
        var objective = Objective.For(targets, content, weights, border, padding);

        var whole = Evaluate(network, objective, image);
        var tiled = Evaluate(network, objective, image, tileSize: 48);
        AssertSame(whole, tiled, 1e-4);
        Assert.Equal(NetworkPadding.Zeros, network.Padding); // every read restored the network's own padding
    }

    [Fact]
    public void Tiled_Gram_matrices_equal_the_whole_image_ones()
    {
        using var scope = NewDisposeScope();
        var network = fixture.Network;
        string[] layers = ["stem", "layer1", "layer2", "layer3"];
        var image = Image(7, 150, 100, ScalarType.Float32); // not multiples of the stride: the last tiles are ragged
        var whole = FeatureReader.Read(network, image, layers, NetworkPadding.Reflect);
        var tiles = FeatureTiles.For(network, layers, 150, 100, 32, periodic: false);
        Assert.True(tiles.Tiles.Count >= 6);
        var tiled = new GramStyleTerm.Sums(layers);
        TiledEvaluator.SumOverTiles(network, image, tiles, NetworkPadding.Reflect, layers, [tiled]);
        foreach (var layer in layers)
        {
            var expected = GramMatrix.Compute(whole[layer]);
            Assert.Equal(whole[layer].shape[2] * whole[layer].shape[3], tiled.Positions(layer));
            var error = expected.sub(tiled.Gram(layer)).abs().max().item<float>() / expected.abs().max().item<float>();
            Assert.True(error < 1e-5, $"{layer}: relative error {error:e2}");
        }
    }

    [Fact]
    public void ResNet18_field_of_view_matches_its_architecture()
    {
        var network = fixture.Network;
        Assert.Equal(new FieldOfView(2, 3), network.FieldOfView("stem"));
        Assert.Equal(new FieldOfView(16, 105), network.FieldOfView("layer3"));
    }
}
