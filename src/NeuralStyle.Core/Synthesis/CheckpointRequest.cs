namespace NeuralStyle.Core.Synthesis;

/// <summary>Checkpoints asked for with a synthesis (see <see cref="CheckpointPlan"/>).</summary>
/// <param name="OutputPath">The output they belong to: they are named after it and written beside it.</param>
/// <param name="Every">Steps between checkpoints; 0 (only with <paramref name="Resume"/>) takes <see cref="DefaultEvery"/>.</param>
/// <param name="Resume">Continue from the output's own checkpoint when one exists (verified first); else start normally.</param>
/// <param name="SeedFromCheckpoint">The user did not choose the seed: a resumed run takes the checkpoint's instead of comparing it.</param>
public sealed record CheckpointRequest(string OutputPath, int Every, bool Resume = false, bool SeedFromCheckpoint = false)
{
    /// <summary>A resumable run writes a checkpoint this often when no interval is given.</summary>
    public const int DefaultEvery = 10;

    public int Interval => Every > 0 ? Every : DefaultEvery;
}
