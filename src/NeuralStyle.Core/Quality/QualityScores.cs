namespace NeuralStyle.Core.Quality;

/// <summary>
/// The quality metrics of one output against its reference (a texture's source, a transfer's
/// style): lower distances are closer. <see cref="EdgeCorrelation"/> is set for transfers only (higher keeps more content).
/// </summary>
public sealed record QualityScores(double Color, double Spectrum, IReadOnlyList<double> Patch, double? EdgeCorrelation)
{
    /// <summary>Mean of the per-level patch distances.</summary>
    public double PatchMean => Patch.Average();
}
