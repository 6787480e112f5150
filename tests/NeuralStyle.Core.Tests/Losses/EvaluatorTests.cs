using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Features;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

/// <summary>The two evaluators drive the same terms; the tiled one with one tile is the whole-image case, and both stop when asked.</summary>
public class EvaluatorTests
{
    private static readonly StyleLayer[] Layers = [new("relu1", 1), new("pool1", 0.5), new("relu2", 2)];

    private static Tensor Image(int seed, int width, int height) =>
        rand([1, 3, height, width], dtype: ScalarType.Float64, generator: new Generator((ulong)seed));

    private static (LossTerms Terms, Tensor Gradient) Run(IEvaluator evaluator, Tensor image, CancellationToken token = default)
    {
        var pixels = image.detach().clone().requires_grad_(true);
        var terms = evaluator.EvaluateWithGradient(pixels, token);
        return (terms, pixels.grad!.detach().clone());
    }

    [Fact]
    public void A_level_that_fits_one_tile_gives_the_whole_image_result()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var style = new RgbImage(Image(1, 30, 26));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], 2, NetworkPadding.Reflect);
        using var content = ContentTarget.Read(network, Image(2, 24, 20), "relu2", NetworkPadding.Reflect);
        var objective = Objective.For(targets, content, new LossWeights(1, 10, 0.5), PyramidBorder.Reflect, NetworkPadding.Reflect);
        var image = Image(3, 24, 20);

        var whole = Run(new WholeImageEvaluator(network, objective), image);
        var oneTile = Run(new TiledEvaluator(network, objective, tileSize: 512), image);
        Assert.Equal(whole.Terms, oneTile.Terms);
        // The same terms on the same level; only the pyramid's backward sums in another order.
        var error = whole.Gradient.sub(oneTile.Gradient).abs().max().item<double>() / whole.Gradient.abs().max().item<double>();
        Assert.True(error < 1e-13, $"relative gradient difference {error:e2}");
    }

    [Fact]
    public void Every_term_but_sliced_Wasserstein_claims_blockwise_support_and_sliced_Wasserstein_is_refused_blockwise()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var style = new RgbImage(Image(1, 30, 26));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], 2, NetworkPadding.Reflect, StyleLossKind.SlicedWasserstein);
        using var content = ContentTarget.Read(network, Image(2, 24, 20), "relu2", NetworkPadding.Reflect);
        var gram = Objective.For(targets, content, new LossWeights(1, 10, 0.5), PyramidBorder.Reflect, NetworkPadding.Reflect);
        Assert.Equal(["GramStyleTerm", "ContentTerm", "GramStyleTerm", "TotalVariationTerm"], gram.Terms.Select(t => t.GetType().Name));
        Assert.True(gram.BlockwisePossible);
        var sliced = Objective.For(targets, content, new LossWeights(1, 10, 0.5), PyramidBorder.Reflect, NetworkPadding.Reflect,
            kind: StyleLossKind.SlicedWasserstein);
        Assert.False(sliced.BlockwisePossible);
        Assert.Throws<NotSupportedException>(() => new TiledEvaluator(network, sliced, 8));
    }

    [Fact]
    public void A_blockwise_step_stops_between_tiles_when_cancelled()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var style = new RgbImage(Image(1, 30, 26));
        using var targets = StyleTargets.Compute(network, Layers, [new StyleSource(style)], 1, NetworkPadding.Reflect);
        var objective = Objective.For(targets, null, new LossWeights(0, 1, 0), PyramidBorder.Reflect, NetworkPadding.Reflect);
        using var cancel = new CancellationTokenSource();
        network.AfterForward = cancel.Cancel;
        var before = network.ForwardCount;
        // 64×64 with 8 px cores: 64 tiles per pass; the step stops after the first.
        Assert.Throws<OperationCanceledException>(() => Run(new TiledEvaluator(network, objective, 8), Image(3, 64, 64), cancel.Token));
        Assert.Equal(1, network.ForwardCount - before);
    }

    [Fact]
    public void Style_targets_stop_between_octaves_when_cancelled()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        using var style = new RgbImage(Image(1, 64, 64));
        using var cancel = new CancellationTokenSource();
        network.AfterForward = cancel.Cancel;
        Assert.Throws<OperationCanceledException>(() =>
            StyleTargets.Compute(network, Layers, [new StyleSource(style)], 3, NetworkPadding.Reflect, cancellationToken: cancel.Token));
        Assert.Equal(1, network.ForwardCount);
    }

    [Fact]
    public void A_feature_read_restores_the_network_padding_also_when_it_fails()
    {
        using var scope = NewDisposeScope();
        using var network = new TinyFeatureNetwork();
        NetworkPadding? during = null;
        network.AfterForward = () =>
        {
            during = network.Padding;
            throw new InvalidOperationException("forward failed");
        };
        Assert.Throws<InvalidOperationException>(() => FeatureReader.Read(network, Image(1, 16, 16), ["relu2"], NetworkPadding.Circular));
        Assert.Equal(NetworkPadding.Circular, during);
        Assert.Equal(NetworkPadding.Zeros, network.Padding);
    }
}
