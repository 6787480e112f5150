using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// A term that is a function of sums over positions (a Gram matrix) or a sum of local parts (the
/// content error), so it can be evaluated tile by tile with the exact whole-image gradient: pass 1
/// sums its statistics over every tile's core without autograd; from them the gradient with respect
/// to the features is local, and pass 2 back-propagates it tile by tile.
/// </summary>
public interface IBlockwiseTerm : ILossTerm
{
    /// <summary>
    /// An empty accumulator for the statistics pass 1 sums, or null for a local term (whose gradient
    /// at a position needs only that position), which skips pass 1.
    /// </summary>
    ITileSums? NewSums();

    /// <summary>From the whole level's sums (null for a local term): the term's value so far and each tile's share of the gradient.</summary>
    TileGradient Gradient(ITileSums? sums);
}

/// <summary>Statistics summed over the tiles' cores in pass 1. The tensors it keeps are owned by the evaluator's scope for the level.</summary>
public interface ITileSums
{
    /// <summary>Adds one tile's core. Called inside a dispose scope of the tile's own: keep sums with MoveToOuterDisposeScope.</summary>
    void Add(TileFeatures tile);
}

/// <param name="Value">The term's value known after pass 1 (a local term's is the sum of its tiles' values instead).</param>
/// <param name="ForTile">
/// For one tile, a scalar whose gradient with respect to the tile's core activations is the term's
/// (a local term: its own loss on the core), and that tile's share of the value.
/// </param>
public sealed record TileGradient(double Value, Func<TileFeatures, (Tensor Surrogate, double Value)> ForTile);
