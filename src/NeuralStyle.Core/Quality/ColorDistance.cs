using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// How far apart the colours of two images are, regardless of where they sit: the sliced
/// Wasserstein-1 distance between their RGB pixel distributions (RGB in [0,1]; 0 = the same palette
/// in the same proportions). A cast, a loss of saturation or a missing dark ground raise it.
/// </summary>
public static class ColorDistance
{
    public const int Directions = 64;
    public const int Quantiles = 512;
    private const ulong Seed = 15;

    /// <param name="a">[1,3,H,W] RGB in [0,1].</param>
    /// <param name="b">[1,3,H',W'] RGB in [0,1]; the size may differ.</param>
    public static double Measure(Tensor a, Tensor b)
    {
        QualityImages.EnsureRgb(a, nameof(a));
        QualityImages.EnsureRgb(b, nameof(b));
        using var scope = NewDisposeScope();
        return SlicedWasserstein.Distance(Pixels(a), Pixels(b), Directions, repeats: 1, Quantiles, Seed);
    }

    private static Tensor Pixels(Tensor rgb) => rgb[0].reshape(3, -1).t();
}
