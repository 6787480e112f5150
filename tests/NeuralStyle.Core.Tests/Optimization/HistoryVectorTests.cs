using NeuralStyle.Core.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Optimization;

/// <summary>A curvature-pair vector stored in bytes against a naive per-element quantiser written here in plain loops.</summary>
public class HistoryVectorTests
{
    private const int Width = 37;

    /// <summary>
    /// 3 channels × 5 rows of 37 values whose rows differ in scale by up to 10⁶, one row all zeros: 555 values, so the last
    /// block is partial and blocks straddle rows.
    /// </summary>
    private static float[] Values()
    {
        var random = new Random(3);
        var values = new float[3 * 5 * Width];
        for (var i = 0; i < values.Length; i++)
        {
            var row = i / Width;
            values[i] = row == 4 ? 0 : (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, row % 7 - 3));
        }
        return values;
    }

    private const int Block = HistoryVector.BlockLength;

    /// <summary>The largest magnitude in the block of <see cref="Block"/> values that holds value <paramref name="i"/>.</summary>
    private static float BlockMaximum(float[] values, int i) => values.Skip(i / Block * Block).Take(Block).Max(Math.Abs);

    /// <summary>Round to nearest of 255 levels spanning ±(the block's largest magnitude), as a float32 scale: the stored value read back.</summary>
    private static double[] NaiveBytes(float[] values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var scale = Math.Max(BlockMaximum(values, i) / 127f, 1e-30f);
            result[i] = (double)(sbyte)MathF.Round(values[i] / scale) * scale;
        }
        return result;
    }

    [Fact]
    public void Bytes_read_back_as_the_naive_quantiser_rounds_them_within_half_a_level_of_each_block()
    {
        using var scope = NewDisposeScope();
        var values = Values();
        var expected = NaiveBytes(values);
        var other = Enumerable.Range(0, values.Length).Select(i => (float)Math.Sin(i)).ToArray();
        using var vector = new HistoryVector(tensor(values), HistoryPrecision.Byte);
        vector.Store(tensor(values));

        // AddTo(0, 1) reads the stored vector back.
        var readBack = zeros(values.Length);
        vector.AddTo(readBack, 1);
        var got = readBack.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var blockMax = BlockMaximum(values, i);
            Assert.True(Math.Abs(got[i] - expected[i]) <= 1e-6 * Math.Abs(expected[i]) + 1e-37, $"value {i}: {got[i]} against {expected[i]}");
            Assert.True(Math.Abs(got[i] - values[i]) <= blockMax / 254 * 1.0001, $"value {i}: {got[i]} from {values[i]}, block maximum {blockMax}");
        }
        Assert.All(got.Skip(4 * Width).Take(Width), v => Assert.Equal(0f, v));
        Assert.Equal(values.Length, got.Length);

        var naiveDot = expected.Zip(other, (a, b) => a * b).Sum();
        Assert.Equal(naiveDot, vector.Dot(tensor(other)), Math.Abs(naiveDot) * 1e-5);
    }

    [Theory]
    [InlineData(nameof(HistoryPrecision.Image), 0)]
    [InlineData(nameof(HistoryPrecision.Half), 1.0 / 256)]
    [InlineData(nameof(HistoryPrecision.Byte), 1.0 / 254)]
    public void Each_precision_keeps_a_vector_within_its_rounding_and_dots_two_stored_vectors(string precisionName, double relative)
    {
        var precision = Enum.Parse<HistoryPrecision>(precisionName); // the enum is internal: a public theory cannot take it
        using var scope = NewDisposeScope();
        var values = Values();
        var a = tensor(values);
        var b = tensor(values.Select(v => -2 * v).ToArray());
        using var first = new HistoryVector(a, precision);
        using var second = new HistoryVector(a, precision);
        first.Store(a);
        second.Store(b);
        var readBack = zeros(values.Length);
        first.AddTo(readBack, 1);
        // No value further from the original than the precision's rounding of the largest value in its block.
        var got = readBack.data<float>().ToArray();
        for (var i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(got[i] - values[i]) <= BlockMaximum(values, i) * relative * 1.0001, $"value {i}: {got[i]} from {values[i]}");
        var exact = a.dot(b).ToDouble();
        // float32 sums in another order (the storage's alignment) differ in the last digit, hence the 1e-6.
        Assert.Equal(exact, first.Dot(second), Math.Abs(exact) * (4 * relative + 1e-6));
    }
}
