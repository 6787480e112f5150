using NeuralStyle.Core.Features;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Evaluation;

/// <summary>
/// The objective block-wise, with the whole-image gradient, not an approximation: memory depends on
/// the tile size, not on the image's. Per pyramid level, pass 1 sums the terms' statistics over
/// tiles without autograd; pass 2 runs each tile again with autograd and back-propagates the terms'
/// local gradients over its core (see <see cref="IBlockwiseTerm"/>). A level that fits one tile is
/// the same with one tile: plain autograd. The levels' gradients then flow back through the pyramid,
/// which is cheap to keep whole, as are the terms on the pixels alone (total variation).
/// Cancellation is honoured between tiles.
/// </summary>
public sealed class TiledEvaluator : IEvaluator
{
    private readonly IFeatureNetwork network;
    private readonly Objective objective;
    private readonly int tileSize;

    public TiledEvaluator(IFeatureNetwork network, Objective objective, int tileSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 1);
        if (!objective.BlockwisePossible)
            throw new NotSupportedException("Block-wise evaluation needs the Gram style loss: sliced Wasserstein sorts all positions at once. Use -StyleLoss Gram or a smaller output.");
        this.network = network;
        this.objective = objective;
        this.tileSize = tileSize;
    }

    public LossTerms EvaluateWithGradient(Tensor pixels, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var terms = LossTerms.Zero;
        var gradients = new Tensor?[objective.Octaves];
        IReadOnlyList<Tensor> plain;
        using (no_grad()) plain = objective.Levels(pixels.detach());
        for (var octave = 0; octave < objective.Octaves; octave++)
        {
            (var levelTerms, gradients[octave]) = LevelGradient(plain[octave], octave, cancellationToken);
            terms += levelTerms;
        }
        foreach (var level in plain) level.Dispose(); // a quarter of the image's pixels and less: not needed past the tiles
        // The pyramid again, now with its graph, only for the backward pass: held through the tiles, its
        // padded copies were image-sized memory no tile needed. Building it costs little next to the tiles.
        var levels = objective.Levels(pixels);
        var surrogate = zeros([], dtype: pixels.dtype, device: pixels.device);
        for (var octave = 0; octave < objective.Octaves; octave++)
        {
            if (gradients[octave] is { } gradient) surrogate = surrogate.add(GradientSurrogate.Taking(levels[octave], gradient));
        }
        var onPixels = objective.Terms.Where(t => t.Layers.Count == 0).ToList();
        if (onPixels.Count > 0)
        {
            var (total, pixelTerms) = TermSum.Of(network, onPixels, o => levels[o], objective.Padding, pixels);
            terms += pixelTerms;
            surrogate = surrogate.add(total);
        }
        if (surrogate.requires_grad) surrogate.backward();
        return terms;
    }

    /// <summary>
    /// Pass 1 over every tile of <paramref name="level"/> without autograd: reads <paramref name="layers"/>
    /// and adds each tile's core to every accumulator. What they keep belongs to the caller's scope.
    /// </summary>
    public static void SumOverTiles(IFeatureNetwork network, Tensor level, FeatureTiles tiles, NetworkPadding padding,
        IReadOnlyCollection<string> layers, IReadOnlyList<ITileSums> sums, CancellationToken cancellationToken = default)
    {
        using var noGrad = no_grad();
        using var extended = tiles.Extend(level); // image-sized (wrapped when periodic): freed when pass 1 ends
        foreach (var tile in tiles.Tiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var tileScope = NewDisposeScope();
            var features = new TileFeatures(network, tiles, tile, FeatureReader.Read(network, FeatureTiles.Crop(extended, tile), layers, padding));
            foreach (var sum in sums) sum.Add(features);
        }
    }

    /// <summary>The level's terms and the gradient of their sum with respect to <paramref name="level"/> (null when no term reads it).</summary>
    private (LossTerms Terms, Tensor? Gradient) LevelGradient(Tensor level, int octave, CancellationToken cancellationToken)
    {
        var terms = objective.Terms.Where(t => t.Octave == octave && t.Layers.Count > 0).Cast<IBlockwiseTerm>().ToList();
        if (terms.Count == 0) return (LossTerms.Zero, null);
        using var scope = NewDisposeScope();
        var layers = TermSum.Layers(terms);
        var tiles = FeatureTiles.For(network, layers, (int)level.shape[3], (int)level.shape[2], tileSize, objective.Border == PyramidBorder.Circular);
        if (tiles.Tiles.Count == 1)
        {
            var leaf = level.detach().clone().requires_grad_(true);
            var (total, wholeTerms) = TermSum.Of(network, terms, _ => leaf, objective.Padding, leaf);
            total.backward();
            return (wholeTerms, leaf.grad!.MoveToOuterDisposeScope());
        }

        // Pass 1: the statistics of the whole level, and from them each term's local gradient.
        var sums = terms.Select(t => t.NewSums()).ToArray();
        var summed = terms.Where((_, i) => sums[i] is not null).ToList();
        if (summed.Count > 0) SumOverTiles(network, level, tiles, objective.Padding, TermSum.Layers(summed), [.. sums.OfType<ITileSums>()], cancellationToken);
        var gradients = terms.Select((t, i) => t.Gradient(sums[i])).ToArray();
        var values = gradients.Select(g => g.Value).ToArray();

        // Pass 2: each tile again, with autograd; the gradients of the tiles' inputs add up.
        var extended = tiles.Extend(level);
        var gradient = zeros_like(extended);
        foreach (var tile in tiles.Tiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var tileScope = NewDisposeScope();
            var crop = FeatureTiles.Crop(extended, tile).detach().clone().requires_grad_(true);
            var features = new TileFeatures(network, tiles, tile, FeatureReader.Read(network, crop, layers, objective.Padding));
            var surrogate = zeros([], dtype: crop.dtype, device: crop.device);
            for (var i = 0; i < gradients.Length; i++)
            {
                var (part, value) = gradients[i].ForTile(features);
                values[i] += value;
                surrogate = surrogate.add(part);
            }
            surrogate.backward();
            FeatureTiles.Crop(gradient, tile).add_(crop.grad!);
        }
        var levelTerms = LossTerms.Zero;
        for (var i = 0; i < terms.Count; i++) levelTerms = levelTerms.Add(terms[i].Part, values[i]);
        return (levelTerms, tiles.Fold(gradient).MoveToOuterDisposeScope());
    }
}
