namespace NeuralStyle.Core.Synthesis;

/// <summary>What a synthesis is doing: the silent work before the first step, then the optimisation.</summary>
public enum SynthesisPhase
{
    /// <summary>Reading and scaling the content image.</summary>
    ReadingInputs,

    /// <summary>Reading the style images and computing their targets (seconds for a large source).</summary>
    ComputingStyleTargets,

    /// <summary>The optimisation, stage by stage (the only phase with steps).</summary>
    Optimizing,
}

/// <summary>Progress of a whole synthesis: which stage of the schedule, which step, and the time left overall.</summary>
/// <param name="Remaining">Time left in the whole synthesis (zero while it cannot be estimated yet: before the first step).</param>
public sealed record SynthesisProgress(
    int Stage,
    int Stages,
    int Width,
    int Height,
    int Step,
    int Steps,
    double Loss,
    TimeSpan Elapsed,
    TimeSpan Remaining)
{
    public SynthesisPhase Phase { get; init; } = SynthesisPhase.Optimizing;

    /// <summary>Time left in the current stage.</summary>
    public TimeSpan StageRemaining { get; init; }

    /// <summary>A phase before the optimisation: no stage, step or estimate yet.</summary>
    public static SynthesisProgress Preparing(SynthesisPhase phase, int stages) =>
        new(0, stages, 0, 0, 0, 0, double.NaN, TimeSpan.Zero, TimeSpan.Zero) { Phase = phase };
}
