using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>Colour conversions and colour matching for the colour-preservation modes.</summary>
public static class ColorSpace
{
    // NTSC YIQ: Y is luminance, I and Q the chrominance.
    private static readonly float[] RgbToYiqMatrix = [0.299f, 0.587f, 0.114f, 0.595716f, -0.274453f, -0.321263f, 0.211456f, -0.522591f, 0.311135f];

    public static Tensor RgbToYiq(Tensor rgb)
    {
        using var m = tensor(RgbToYiqMatrix, [3, 3], device: rgb.device, dtype: rgb.dtype);
        return einsum("ij,njhw->nihw", m, rgb);
    }

    public static Tensor YiqToRgb(Tensor yiq)
    {
        using var m = tensor(RgbToYiqMatrix, [3, 3], device: yiq.device, dtype: ScalarType.Float64);
        using var inverse = linalg.inv(m).to(yiq.dtype);
        return einsum("ij,njhw->nihw", inverse, yiq);
    }

    /// <summary>The luminance as a grey RGB image, its mean and spread matched to <paramref name="reference"/>'s luminance.</summary>
    public static Tensor MatchedLuminance(Tensor rgb, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var y = RgbToYiq(rgb)[.., 0..1];
        var r = RgbToYiq(reference)[.., 0..1];
        var matched = y.sub(y.mean()).div(y.std().add(1e-6)).mul(r.std()).add(r.mean());
        return matched.expand(-1, 3, -1, -1).clamp(0, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Luminance of <paramref name="luminanceSource"/> with the chrominance (I, Q) of <paramref name="colourSource"/>.</summary>
    public static Tensor CombineLuminance(Tensor luminanceSource, Tensor colourSource)
    {
        using var scope = NewDisposeScope();
        var y = RgbToYiq(luminanceSource)[.., 0..1];
        var iq = RgbToYiq(colourSource)[.., 1..3];
        return YiqToRgb(cat([y, iq], 1)).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Recolours <paramref name="source"/> so its RGB mean and covariance equal <paramref name="reference"/>'s
    /// (a linear colour transfer: x' = C_r^½ C_s^-½ (x − μ_s) + μ_r).
    /// </summary>
    public static Tensor MatchHistogram(Tensor source, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var (ms, cs) = Moments(source);
        var (mr, cr) = Moments(reference);
        var transform = SquareRoot(cr).matmul(InverseSquareRoot(cs));
        var flat = source[0].reshape(3, -1).to(ScalarType.Float64);
        var mapped = transform.matmul(flat.sub(ms)).add(mr);
        return mapped.reshape(1, 3, source.shape[2], source.shape[3]).to(source.dtype).clamp(0, 1).MoveToOuterDisposeScope();
    }

    private static (Tensor Mean, Tensor Covariance) Moments(Tensor image)
    {
        var flat = image[0].reshape(3, -1).to(ScalarType.Float64);
        var mean = flat.mean([1], keepdim: true);
        var centred = flat.sub(mean);
        var covariance = centred.matmul(centred.t()).div(flat.shape[1]).add(eye(3, dtype: ScalarType.Float64, device: image.device).mul(1e-5));
        return (mean, covariance);
    }

    private static Tensor SquareRoot(Tensor symmetric)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
    }

    private static Tensor InverseSquareRoot(Tensor symmetric)
    {
        var (values, vectors) = linalg.eigh(symmetric);
        return vectors.matmul(diag(values.clamp_min(1e-8).rsqrt())).matmul(vectors.t());
    }
}
