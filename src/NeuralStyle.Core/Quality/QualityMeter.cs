using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>All quality metrics of an output at once, and the floor a source sets for them.</summary>
public static class QualityMeter
{
    /// <param name="output">[1,3,H,W] RGB in [0,1].</param>
    /// <param name="reference">The texture's source or the transfer's style (any size).</param>
    /// <param name="content">A transfer's content at the output's size, for the edge correlation; null for textures.</param>
    public static QualityScores Measure(Tensor output, Tensor reference, Tensor? content = null) => new(
        ColorDistance.Measure(output, reference),
        SpectrumDistance.Measure(output, reference),
        PatchDistance.Measure(output, reference),
        content is null ? null : EdgeCorrelation.Measure(output, content));

    /// <summary>
    /// The metrics between the two halves of the source (split across its longer side): what an
    /// output as good as another piece of the same material would score.
    /// </summary>
    public static QualityScores Floor(Tensor source)
    {
        using var scope = NewDisposeScope();
        var (first, second) = Halves(source);
        return Measure(first, second);
    }

    /// <summary>Two disjoint halves of an [N,C,H,W] image, split across its longer side (an odd middle column or row is dropped).</summary>
    public static (Tensor First, Tensor Second) Halves(Tensor image)
    {
        var (dim, length) = image.shape[3] >= image.shape[2] ? (3, image.shape[3]) : (2, image.shape[2]);
        var half = length / 2;
        return (image.narrow(dim, 0, half), image.narrow(dim, length - half, half));
    }
}
