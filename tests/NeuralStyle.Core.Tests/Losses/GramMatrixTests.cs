using NeuralStyle.Core.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

public class GramMatrixTests
{
    [Fact]
    public void Matches_a_naive_triple_loop()
    {
        using var scope = NewDisposeScope();
        var features = randn([2, 5, 7, 3], dtype: ScalarType.Float64, generator: new Generator(3));
        var gram = GramMatrix.Compute(features);
        var f = features.data<double>().ToArray();
        int n = 2, c = 5, hw = 21;
        Assert.Equal(new long[] { n, c, c }, gram.shape);
        var g = gram.data<double>().ToArray();
        for (var b = 0; b < n; b++)
        for (var i = 0; i < c; i++)
        for (var j = 0; j < c; j++)
        {
            double sum = 0;
            for (var p = 0; p < hw; p++) sum += f[(b * c + i) * hw + p] * f[(b * c + j) * hw + p];
            Assert.Equal(sum / (c * hw), g[(b * c + i) * c + j], 12);
        }
    }

    [Fact]
    public void Does_not_depend_on_image_size_for_a_repeated_pattern()
    {
        using var scope = NewDisposeScope();
        var tile = rand([1, 4, 6, 6], dtype: ScalarType.Float64, generator: new Generator(5));
        var big = tile.repeat(1, 1, 3, 2);
        Assert.True(GramMatrix.Compute(tile).allclose(GramMatrix.Compute(big), 1e-12, 1e-12));
    }
}
