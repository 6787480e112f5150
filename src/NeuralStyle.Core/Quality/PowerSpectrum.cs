using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// The radially averaged power spectrum of an image's luminance in log-spaced frequency bands:
/// the mean is removed, a 2-D Hann window applied (so the image's borders add no false high
/// frequencies), and |DFT|² / Σw² (a power density that does not depend on the image size) averaged
/// over the frequencies whose radius √(fx²+fy²) falls in each band.
/// </summary>
public static class PowerSpectrum
{
    public const int Bands = 24;
    public const double Highest = 0.5;

    /// <summary>The lowest band edge for these images: 2 cycles over the smallest side of any of them.</summary>
    public static double LowestFor(params Tensor[] images) => 2.0 / images.Min(i => Math.Min(i.shape[2], i.shape[3]));

    /// <summary>The <see cref="Bands"/> + 1 band edges in cycles per pixel, log-spaced from <paramref name="lowest"/> to 0.5.</summary>
    public static double[] BandEdges(double lowest)
    {
        if (!(lowest > 0 && lowest < Highest)) throw new ArgumentOutOfRangeException(nameof(lowest), lowest, "The lowest band edge must lie in (0, 0.5).");
        return Enumerable.Range(0, Bands + 1).Select(i => lowest * Math.Pow(Highest / lowest, (double)i / Bands)).ToArray();
    }

    /// <summary>log10 of the mean power in each band of [<paramref name="lowest"/>, 0.5]; NaN where no frequency of this image falls in a band.</summary>
    /// <param name="rgb">[1,3,H,W] RGB in [0,1].</param>
    public static double[] LogBandPower(Tensor rgb, double lowest)
    {
        var edges = BandEdges(lowest);
        using var scope = NewDisposeScope();
        var y = QualityImages.Luminance(rgb)[0, 0];
        long h = y.shape[0], w = y.shape[1];
        var window = HannWindow(h).unsqueeze(1).mul(HannWindow(w).unsqueeze(0));
        var windowed = y.sub(y.mean()).mul(window);
        var power = fft.fft2(windowed).abs().square().div(window.square().sum());
        var radius = fft.fftfreq(h, dtype: ScalarType.Float64).unsqueeze(1).square()
            .add(fft.fftfreq(w, dtype: ScalarType.Float64).unsqueeze(0).square()).sqrt();
        var result = new double[Bands];
        for (var band = 0; band < Bands; band++)
        {
            // Half-open bands; the last one also takes the Nyquist radius itself.
            var inBand = radius.ge(edges[band]).logical_and(band == Bands - 1 ? radius.le(edges[band + 1]) : radius.lt(edges[band + 1]));
            var count = inBand.sum().item<long>();
            result[band] = count == 0 ? double.NaN : Math.Log10(power.masked_select(inBand).mean().item<double>() + 1e-30);
        }
        return result;
    }

    /// <summary>Symmetric Hann window of n samples (zero at both ends).</summary>
    private static Tensor HannWindow(long n) =>
        n == 1 ? ones(1, ScalarType.Float64) : arange(n, ScalarType.Float64).mul(2 * Math.PI / (n - 1)).cos().neg().add(1).mul(0.5);
}
