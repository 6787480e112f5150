using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// Sliced Wasserstein-1 distance between two point sets: project both onto random unit directions
/// and average, over the directions, the 1-D Wasserstein-1 distance of the projections, taken as the
/// mean absolute difference of their quantiles. Quantiles (nearest rank) let sets of different sizes
/// be compared. The directions come from a fixed seed, so the same inputs always give the same number.
/// </summary>
public static class SlicedWasserstein
{
    /// <param name="a">[N, D] points.</param>
    /// <param name="b">[M, D] points.</param>
    /// <param name="directions">Directions per repeat.</param>
    /// <param name="repeats">Rounds of fresh directions (bounds the memory of one projection); the result is their mean.</param>
    /// <param name="quantiles">Quantile levels (q + 0.5)/Q at which the projections are compared.</param>
    /// <param name="seed">Seed of the directions.</param>
    public static double Distance(Tensor a, Tensor b, int directions, int repeats, int quantiles, ulong seed)
    {
        if (a.dim() != 2 || b.dim() != 2 || a.shape[1] != b.shape[1])
            throw new ArgumentException($"Expected [N,D] and [M,D] point sets, got [{string.Join(",", a.shape)}] and [{string.Join(",", b.shape)}].");
        if (a.shape[0] == 0 || b.shape[0] == 0) throw new ArgumentException("A point set is empty.");
        ArgumentOutOfRangeException.ThrowIfLessThan(directions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(quantiles, 1);
        using var scope = NewDisposeScope();
        var generator = new Generator(seed);
        var x = a.to(ScalarType.Float32).cpu();
        var y = b.to(ScalarType.Float32).cpu();
        var total = 0.0;
        for (var r = 0; r < repeats; r++)
        {
            var dirs = randn([x.shape[1], directions], generator: generator);
            dirs = dirs.div(dirs.norm(0, keepdim: true));
            var qa = Quantiles(x.matmul(dirs), quantiles);
            var qb = Quantiles(y.matmul(dirs), quantiles);
            total += qa.sub(qb).abs().to(ScalarType.Float64).mean().item<double>();
        }
        return total / repeats;
    }

    /// <summary>[K, Q] nearest-rank quantiles (q + 0.5)/Q of each column of an [N, K] tensor.</summary>
    public static Tensor Quantiles(Tensor projections, int quantiles)
    {
        using var scope = NewDisposeScope();
        var n = projections.shape[0];
        // Sorting contiguous rows is several times faster than sorting down the columns.
        var sorted = projections.t().contiguous().sort(1).Values;
        var ranks = arange(quantiles, ScalarType.Float64).add(0.5).mul((double)n / quantiles).floor().to(ScalarType.Int64).clamp(0, n - 1);
        return sorted.index_select(1, ranks).MoveToOuterDisposeScope();
    }
}
