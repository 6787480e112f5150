using NeuralStyle.Core.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Synthesis;

public class ColorSpaceTests
{
    private static Tensor Image(int seed, double scale, double offset) =>
        rand([1, 3, 24, 32], dtype: ScalarType.Float64, generator: new Generator((ulong)seed)).mul(scale).add(offset);

    [Fact]
    public void Yiq_round_trips()
    {
        using var scope = NewDisposeScope();
        var rgb = Image(1, 1, 0);
        Assert.True(ColorSpace.YiqToRgb(ColorSpace.RgbToYiq(rgb)).allclose(rgb, 1e-9, 1e-9));
    }

    [Fact]
    public void Histogram_matching_gives_the_reference_mean_and_covariance()
    {
        using var scope = NewDisposeScope();
        var source = Image(2, 0.5, 0.1);
        // A reference with correlated channels, inside [0,1] so clamping does not interfere.
        var reference = Image(3, 0.3, 0.3);
        reference = cat([reference[.., 0..1], reference[.., 0..1].mul(0.5).add(reference[.., 1..2].mul(0.5)), reference[.., 2..3]], 1);
        var matched = ColorSpace.MatchHistogram(source, reference);
        var (mm, cm) = Moments(matched);
        var (mr, cr) = Moments(reference);
        Assert.True(mm.allclose(mr, 1e-6, 1e-6));
        Assert.True(cm.allclose(cr, 1e-4, 1e-5));
    }

    [Fact]
    public void Luminance_transfer_keeps_the_colour_sources_chrominance()
    {
        using var scope = NewDisposeScope();
        var luminance = Image(4, 0.4, 0.3);
        var colour = Image(5, 0.4, 0.3);
        var combined = ColorSpace.RgbToYiq(ColorSpace.CombineLuminance(luminance, colour));
        Assert.True(combined[.., 0].allclose(ColorSpace.RgbToYiq(luminance)[.., 0], 1e-6, 1e-6));
        Assert.True(combined[.., 1..].allclose(ColorSpace.RgbToYiq(colour)[.., 1..], 1e-6, 1e-6));
    }

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor image)
    {
        var flat = image[0].reshape(3, -1);
        var mean = flat.mean([1], keepdim: true);
        var centred = flat.sub(mean);
        return (mean, centred.matmul(centred.t()).div(flat.shape[1]));
    }
}
