using NeuralStyle.Core.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

/// <summary>
/// The colour term's host loop, and its libtorch-ops twin, against the step written out in float64: the target
/// quantile at rank r is the linear interpolation at r·(M − 1)/(N − 1), computed here from its definition.
/// </summary>
public class RankErrorsTests
{
    private static (Tensor Errors, double Sum) Reference(Tensor values, Tensor order, Tensor quantiles)
    {
        var (count, levels) = (values.shape[0], quantiles.shape[0]);
        var q = quantiles.to(ScalarType.Float64);
        var at = arange(count, dtype: ScalarType.Float64).mul(count > 1 ? (double)(levels - 1) / (count - 1) : 0);
        var low = at.floor().clamp_max(levels - 1);
        var high = low.add(1).clamp_max(levels - 1);
        var lambda = at.sub(low);
        var target = q[low.to(ScalarType.Int64)].mul(lambda.neg().add(1)).add(q[high.to(ScalarType.Int64)].mul(lambda));
        var error = values.to(ScalarType.Float64)[order].sub(target);
        return (zeros([count], dtype: ScalarType.Float64).index_put_(error, order), error.square().sum().item<double>());
    }

    private static (Tensor Values, Tensor Order, Tensor Quantiles) Case(int count, int levels, ScalarType dtype, int seed, bool ties = false)
    {
        var random = new Generator((ulong)seed);
        var values = randn([count], dtype: dtype, generator: random);
        // Ties: values rounded to a coarse grid, so the stable order (not the values) decides who gets which quantile.
        if (ties) values = values.mul(4).round().div(4);
        var order = values.sort(0, stable: true).Indices;
        var quantiles = randn([levels], dtype: dtype, generator: random).mul(0.7).add(0.2).sort().Values;
        return (values, order, quantiles);
    }

    [Theory]
    [InlineData(1000, 1000)]    // as many quantiles as values: no interpolation
    [InlineData(1000, 337)]     // fewer: interpolated between neighbours
    [InlineData(300_001, 4096)] // several chunks, the last one short
    [InlineData(500, 2000)]     // more quantiles than values
    [InlineData(1, 7)]          // a single value takes the first quantile
    public void Matches_the_tensor_ops_in_float64(int count, int levels)
    {
        using var scope = NewDisposeScope();
        var (values, order, quantiles) = Case(count, levels, ScalarType.Float64, seed: count + levels);
        var (expected, expectedSum) = Reference(values, order, quantiles);

        var sum = RankErrors.OnHost(values, order, quantiles);

        var worst = values.sub(expected).abs().max().item<double>();
        Assert.True(worst <= 1e-14, $"every error at its position: {worst}");
        Assert.Equal(expectedSum, sum, expectedSum * 1e-12);
    }

    [Fact]
    public void Ties_get_their_quantiles_in_the_order_given()
    {
        using var scope = NewDisposeScope();
        var (values, order, quantiles) = Case(5000, 800, ScalarType.Float64, seed: 3, ties: true);
        Assert.True(values.unique().output.shape[0] < 100, "the case has ties");
        var (expected, _) = Reference(values, order, quantiles);

        RankErrors.OnHost(values, order, quantiles);

        Assert.True(values.sub(expected).abs().max().item<double>() <= 1e-14);
    }

    [Fact]
    public void Float32_agrees_to_its_rounding()
    {
        using var scope = NewDisposeScope();
        var (values, order, quantiles) = Case(200_000, 3000, ScalarType.Float32, seed: 11);
        var (expected, expectedSum) = Reference(values, order, quantiles);
        var viaOps = values.clone();
        var opsSum = RankErrors.WithTensorOps(viaOps, order, quantiles).item<float>();

        var sum = RankErrors.Replace(values, order, quantiles).item<float>();

        // The host loop interpolates in float64 and rounds once; libtorch's interpolate works out the positions in
        // float32, so its targets are off by up to λ's rounding at r·(M − 1)/(N − 1) ≈ 3000 (2.4e-4) times a quantile gap.
        var worst = values.to(ScalarType.Float64).sub(expected).abs().max().item<double>();
        var worstOps = viaOps.to(ScalarType.Float64).sub(expected).abs().max().item<double>();
        Assert.True(worst <= 5e-7, $"the host loop: float32's rounding of each error: {worst}");
        Assert.True(worstOps <= 1e-4, $"libtorch's ops: {worstOps}");
        Assert.Equal(expectedSum, sum, expectedSum * 1e-6);
        Assert.Equal(expectedSum, opsSum, expectedSum * 1e-4);
    }

    [Fact]
    public void The_tensor_ops_agree_in_float64()
    {
        using var scope = NewDisposeScope();
        var (values, order, quantiles) = Case(20_000, 700, ScalarType.Float64, seed: 9);
        var (expected, expectedSum) = Reference(values, order, quantiles);

        var sum = RankErrors.WithTensorOps(values, order, quantiles).item<double>();

        var worst = values.sub(expected).abs().max().item<double>();
        Assert.True(worst <= 1e-6, $"{worst}");
        Assert.Equal(expectedSum, sum, expectedSum * 1e-6);
    }

    [Fact]
    public void Gives_the_same_bits_on_any_thread_count()
    {
        using var scope = NewDisposeScope();
        var (values, order, quantiles) = Case(600_000, 5000, ScalarType.Float32, seed: 5);
        var previous = get_num_threads();
        try
        {
            set_num_threads(1);
            var one = values.clone();
            var sumOne = RankErrors.OnHost(one, order, quantiles);
            set_num_threads(2);
            var two = values.clone();
            var sumTwo = RankErrors.OnHost(two, order, quantiles);
            Assert.Equal(sumOne, sumTwo);
            Assert.True(one.eq(two).all().item<bool>());
        }
        finally
        {
            set_num_threads(previous);
        }
    }
}
