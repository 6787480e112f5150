using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The feature vectors of the style sources at one layer and octave, as a [C, P] matrix, for
/// distribution matching. Several sources are joined by sampling positions in proportion to their
/// weights, so the joined set is a sample of the weighted mixture.
/// </summary>
public sealed class SourceFeatures : IDisposable
{
    /// <summary>Enough positions to describe a distribution well; bounds memory and sort time on big sources.</summary>
    public const int MaxPositions = 65_536;

    private SourceFeatures(Tensor vectors)
    {
        Vectors = vectors.DetachFromDisposeScope();
        MeanSquare = vectors.square().mean().DetachFromDisposeScope();
    }

    /// <summary>[C, P] feature vectors, one column per sampled position.</summary>
    public Tensor Vectors { get; }

    /// <summary>Mean squared activation: makes the loss relative, like the Gram loss.</summary>
    public Tensor MeanSquare { get; }

    public static SourceFeatures Join(IReadOnlyList<(Tensor Features, double Share)> parts)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(12345); // fixed: the same sources always give the same targets
        var columns = new List<Tensor>();
        foreach (var (features, share) in parts)
        {
            var c = features.shape[1];
            var flat = features[0].reshape(c, -1);
            var take = (long)Math.Max(1, Math.Round(MaxPositions * share));
            var count = flat.shape[1];
            columns.Add(count <= take ? flat : flat.index_select(1, randperm(count, generator: generator, device: flat.device)[..(int)take]));
        }
        return new SourceFeatures(cat(columns, 1).contiguous());
    }

    public void Dispose()
    {
        Vectors.Dispose();
        MeanSquare.Dispose();
    }
}
