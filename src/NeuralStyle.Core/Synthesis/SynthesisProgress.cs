namespace NeuralStyle.Core.Synthesis;

/// <summary>Progress of a whole synthesis: which stage of the schedule, which step, and the time left overall.</summary>
public sealed record SynthesisProgress(
    int Stage,
    int Stages,
    int Width,
    int Height,
    int Step,
    int Steps,
    double Loss,
    TimeSpan Elapsed,
    TimeSpan Remaining);
