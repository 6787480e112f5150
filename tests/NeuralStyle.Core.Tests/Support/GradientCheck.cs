using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Support;

/// <summary>An analytic gradient against central finite differences of the loss, at pixels chosen by a seeded generator.</summary>
internal static class GradientCheck
{
    /// <param name="loss">The total loss of an image (evaluated on a copy of <paramref name="image"/> that is nudged one pixel at a time).</param>
    /// <param name="floor">The smallest denominator of the relative error, so that near-zero derivatives compare absolutely.</param>
    public static void AtRandomPixels(Func<Tensor, double> loss, Tensor image, double[] analytic, int seed, double h, double floor,
        double tolerance, int count = 12)
    {
        var values = image.detach().clone();
        var flat = values.view(-1);
        var rng = new Random(seed);
        for (var k = 0; k < count; k++)
        {
            var index = rng.Next((int)values.numel());
            var original = flat[index].item<double>();
            flat[index] = original + h;
            var plus = loss(values);
            flat[index] = original - h;
            var minus = loss(values);
            flat[index] = original;
            var numeric = (plus - minus) / (2 * h);
            var error = Math.Abs(numeric - analytic[index]) / Math.Max(floor, Math.Abs(numeric) + Math.Abs(analytic[index]));
            Assert.True(error < tolerance, $"pixel {index}: numeric {numeric}, analytic {analytic[index]}, relative error {error}");
        }
    }
}
