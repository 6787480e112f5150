using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// Spectrum distance: the RMS difference, in decades, of two images' band powers
/// (<see cref="PowerSpectrum"/>) over the bands both have. Blur lowers the high bands, noise raises
/// them, lost large-scale structure changes the low ones; 0 = the same spectrum.
/// </summary>
public static class SpectrumDistance
{
    public static double Measure(Tensor a, Tensor b)
    {
        var lowest = PowerSpectrum.LowestFor(a, b);
        var pa = PowerSpectrum.LogBandPower(a, lowest);
        var pb = PowerSpectrum.LogBandPower(b, lowest);
        var differences = pa.Zip(pb, (x, y) => x - y).Where(d => !double.IsNaN(d)).ToArray();
        if (differences.Length == 0) throw new ArgumentException("The images share no frequency band.");
        return Math.Sqrt(differences.Average(d => d * d));
    }
}
