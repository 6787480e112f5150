using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The sliced-Wasserstein step after the sort: each value's error against the target quantile at its
/// rank, written back at the value's own position, and the sum of the squared errors. Done with
/// tensor ops it is a gather, a resampled target, a subtraction and a scatter, each a pass over N
/// values and two of them random-access: at 4096² (16.7 M pixels, 16 directions) 14 s of each
/// evaluation, more than the sorts. On the CPU one loop does it all in place, the target interpolated
/// as it goes, in 3–5 s (bench/README.md, "The colour term's passes").
/// </summary>
internal static class RankErrors
{
    /// <summary>
    /// Replaces <c>values[order[r]]</c> by <c>values[order[r]] − quantile(r)</c> for every rank r, where
    /// quantile is <paramref name="quantiles"/> ([M], ascending) linearly interpolated to N points,
    /// corners aligned (<see cref="SlicedWassersteinTerm.Resample"/>). Returns Σ error² as a 0-d tensor.
    /// </summary>
    /// <param name="values">[N], overwritten.</param>
    /// <param name="order">[N] int64, a permutation: the positions of <paramref name="values"/> in ascending order.</param>
    public static Tensor Replace(Tensor values, Tensor order, Tensor quantiles) =>
        values.device_type == TorchSharp.DeviceType.CPU && values.is_contiguous() && order.is_contiguous() &&
        (values.dtype is ScalarType.Float32 or ScalarType.Float64)
            ? tensor(OnHost(values, order, quantiles.to(values.dtype).contiguous()), values.dtype, values.device)
            : WithTensorOps(values, order, quantiles);

    /// <summary>The same with libtorch's ops: the path of other devices (and of non-contiguous or other-typed values).</summary>
    internal static Tensor WithTensorOps(Tensor values, Tensor order, Tensor quantiles)
    {
        var error = values.gather(0, order);
        error.sub_(SlicedWassersteinTerm.Resample(quantiles.unsqueeze(0), values.shape[0]).squeeze(0));
        values.scatter_(0, order, error);
        return error.dot(error);
    }

    /// <summary>Ranks per chunk: a fixed split, so the partial sums, added in chunk order, give the same bits on any thread count.</summary>
    private const long ChunkLength = 1 << 17;

    internal static unsafe double OnHost(Tensor values, Tensor order, Tensor quantiles)
    {
        var count = values.shape[0];
        var levels = quantiles.shape[0];
        if (order.shape[0] != count || order.dtype != ScalarType.Int64) throw new ArgumentException("order must be [N] int64, as values.");
        if (count == 0) return 0;
        var chunks = (int)((count + ChunkLength - 1) / ChunkLength);
        var partial = new double[chunks];
        using var orderStorage = order.storage<long>();
        var positions = (long*)orderStorage.data_ptr() + order.storage_offset();
        // No more threads than the item's libtorch count (ThreadBudget's lease), so sessions sharing a process share the cores.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) };
        if (values.dtype == ScalarType.Float32)
        {
            using var valueStorage = values.storage<float>();
            using var quantileStorage = quantiles.storage<float>();
            var v = (float*)valueStorage.data_ptr() + values.storage_offset();
            var q = (float*)quantileStorage.data_ptr() + quantiles.storage_offset();
            Parallel.For(0, chunks, parallel, c => partial[c] = Chunk(v, positions, q, count, levels, c));
        }
        else
        {
            using var valueStorage = values.storage<double>();
            using var quantileStorage = quantiles.storage<double>();
            var v = (double*)valueStorage.data_ptr() + values.storage_offset();
            var q = (double*)quantileStorage.data_ptr() + quantiles.storage_offset();
            Parallel.For(0, chunks, parallel, c => partial[c] = Chunk(v, positions, q, count, levels, c));
        }
        var sum = 0.0;
        foreach (var s in partial) sum += s;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double Chunk(float* values, long* positions, float* quantiles, long count, long levels, int chunk)
    {
        var (from, to) = Range(count, chunk);
        var step = Step(count, levels);
        var sum = 0.0;
        for (var r = from; r < to; r++)
        {
            var i = positions[r];
            var error = values[i] - (float)Quantile(quantiles, levels, r * step);
            values[i] = error;
            sum += (double)error * error;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe double Chunk(double* values, long* positions, double* quantiles, long count, long levels, int chunk)
    {
        var (from, to) = Range(count, chunk);
        var step = Step(count, levels);
        var sum = 0.0;
        for (var r = from; r < to; r++)
        {
            var i = positions[r];
            var error = values[i] - Quantile(quantiles, levels, r * step);
            values[i] = error;
            sum += error * error;
        }
        return sum;
    }

    private static (long From, long To) Range(long count, int chunk) => (chunk * ChunkLength, Math.Min(count, (chunk + 1) * ChunkLength));

    /// <summary>Corners aligned: rank 0 is the first quantile, rank N − 1 the last.</summary>
    private static double Step(long count, long levels) => count > 1 ? (double)(levels - 1) / (count - 1) : 0;

    /// <summary>Linear interpolation at <paramref name="at"/> ∈ [0, M − 1], in the form libtorch uses: (1 − λ)·q₀ + λ·q₁.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Quantile(float* quantiles, long levels, double at)
    {
        var (low, high, lambda) = Neighbours(levels, at);
        return (1 - lambda) * quantiles[low] + lambda * quantiles[high];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Quantile(double* quantiles, long levels, double at)
    {
        var (low, high, lambda) = Neighbours(levels, at);
        return (1 - lambda) * quantiles[low] + lambda * quantiles[high];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (long Low, long High, double Lambda) Neighbours(long levels, double at)
    {
        var low = Math.Min((long)at, levels - 1);
        return (low, low < levels - 1 ? low + 1 : low, at - low);
    }
}
