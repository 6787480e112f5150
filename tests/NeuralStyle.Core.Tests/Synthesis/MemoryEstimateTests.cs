using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.Core.Tests.Synthesis;

/// <summary>The evaluation plan for a given amount of memory: the fastest that fits comfortably (60 %), the history compact only where needed.</summary>
public class MemoryEstimateTests
{
    private static readonly MemoryCosts Costs = NetworkProfiles.ResNet18.Memory;

    /// <summary>Memory in which exactly <paramref name="needed"/> bytes fit comfortably.</summary>
    private static long Fitting(long needed) => (long)Math.Ceiling(needed / 0.6) + 16;

    [Fact]
    public void A_compact_history_takes_three_eighths_of_the_bytes_of_the_pairs()
    {
        var (full, compact) = (MemoryEstimate.ForStep(Costs, 4096, 4096, 4), MemoryEstimate.ForStep(Costs, 4096, 4096, 4, compactHistory: true));
        // 20 pairs of two RGB images: 4 + 4 bytes a value in full, 2 + 1 compact.
        Assert.Equal(4096L * 4096 * 3 * 20 * (8 - 3), full - compact, tolerance: 4);
    }

    [Fact]
    public void Full_precision_where_it_fits_compact_before_a_block_wise_step_and_compact_before_a_smaller_tile()
    {
        var whole = MemoryEstimate.ForStep(Costs, 2048, 2048, 4);
        var wholeCompact = MemoryEstimate.ForStep(Costs, 2048, 2048, 4, compactHistory: true);

        Assert.Equal(new EvaluationPlan(0, whole, whole, false), MemoryEstimate.Plan(Costs, 2048, 2048, 4, available: Fitting(whole)));
        Assert.Equal(new EvaluationPlan(0, wholeCompact, whole, true), MemoryEstimate.Plan(Costs, 2048, 2048, 4, available: Fitting(wholeCompact)));

        var tile1024Compact = MemoryEstimate.ForBlockwiseStep(Costs, 4096, 4096, 1024, compactHistory: true);
        var plan = MemoryEstimate.Plan(Costs, 4096, 4096, 4, available: Fitting(tile1024Compact));
        Assert.Equal((1024, true), (plan.TileSize, plan.CompactHistory));
        Assert.True(MemoryEstimate.ForBlockwiseStep(Costs, 4096, 4096, 1024) > tile1024Compact);
    }

    [Fact]
    public void A_forced_tile_keeps_full_precision_when_it_fits()
    {
        var plan = MemoryEstimate.Plan(Costs, 96, 80, 2, tileSize: 64, available: 64L << 30);
        Assert.Equal((64, false), (plan.TileSize, plan.CompactHistory));
    }

    [Fact]
    public void Too_large_even_compact_and_in_the_smallest_tiles_is_refused()
    {
        var smallest = MemoryEstimate.ForBlockwiseStep(Costs, 8192, 8192, 256, compactHistory: true);
        Assert.Throws<OutputTooLargeException>(() => MemoryEstimate.Plan(Costs, 8192, 8192, 4, available: smallest - 1));
        Assert.Equal((256, true), MemoryEstimate.Plan(Costs, 8192, 8192, 4, available: smallest + 1) is var p ? (p.TileSize, p.CompactHistory) : default);
    }
}
