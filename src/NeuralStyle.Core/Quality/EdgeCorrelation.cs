using TorchSharp;
using NeuralStyle.Core.Pyramids;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// How well a style transfer keeps its content's shapes: the Pearson correlation of the Sobel
/// gradient magnitudes of the output's and the content's luminance, both reduced three times
/// with the pyramid first, so that the style's own fine strokes do not count, only the edges of
/// objects. 1 = the same edges, 0 = unrelated.
/// </summary>
public static class EdgeCorrelation
{
    public const int Reductions = 3;

    /// <param name="output">[1,3,H,W] RGB in [0,1].</param>
    /// <param name="content">[1,3,H,W] RGB in [0,1], the same size.</param>
    public static double Measure(Tensor output, Tensor content)
    {
        QualityImages.EnsureRgb(output, nameof(output));
        QualityImages.EnsureRgb(content, nameof(content));
        if (output.shape[2] != content.shape[2] || output.shape[3] != content.shape[3])
            throw new ArgumentException($"The output ({output.shape[3]}×{output.shape[2]}) and the content ({content.shape[3]}×{content.shape[2]}) must have the same size.");
        using var scope = NewDisposeScope();
        var a = GradientMagnitude(output).flatten();
        var b = GradientMagnitude(content).flatten();
        var da = a.sub(a.mean());
        var db = b.sub(b.mean());
        var denominator = da.square().sum().mul(db.square().sum()).sqrt().item<double>();
        return denominator == 0 ? 0 : da.mul(db).sum().item<double>() / denominator;
    }

    /// <summary>|∇| of the luminance after <see cref="Reductions"/> pyramid reductions, with 3×3 Sobel kernels and reflected borders.</summary>
    public static Tensor GradientMagnitude(Tensor rgb)
    {
        using var scope = NewDisposeScope();
        var y = QualityImages.Luminance(rgb);
        for (var i = 0; i < Reductions; i++) y = GaussianPyramid.Reduce(y);
        var sobelX = tensor(new double[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, [1, 1, 3, 3], ScalarType.Float64);
        var padded = nn.functional.pad(y, [1, 1, 1, 1], PaddingModes.Reflect);
        var gx = nn.functional.conv2d(padded, sobelX);
        var gy = nn.functional.conv2d(padded, sobelX.transpose(2, 3));
        return gx.square().add(gy.square()).sqrt().MoveToOuterDisposeScope();
    }
}
