namespace NeuralStyle.Core.Optimization;

/// <summary>One report from the optimiser loop: where it is, the loss terms, and the time left at the current pace.</summary>
public sealed record OptimizationProgress(
    string Stage,
    int Step,
    int Steps,
    double Loss,
    double Content,
    double Style,
    double TotalVariation,
    TimeSpan Elapsed,
    TimeSpan Remaining);
