namespace NeuralStyle.Core.Losses;

/// <summary>What "same style" means for a layer's features.</summary>
public enum StyleLossKind
{
    /// <summary>Match Gram matrices (Gatys; Snelgrove): second-order statistics.</summary>
    Gram,

    /// <summary>
    /// Match the full distribution (Heitz et al. 2021): project every position's feature vector on
    /// random directions, sort, compare with the source's sorted projections. Fixes Gram's
    /// washed-out contrast and colour shifts.
    /// </summary>
    SlicedWasserstein,
}
