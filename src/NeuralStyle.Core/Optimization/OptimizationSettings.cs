namespace NeuralStyle.Core.Optimization;

/// <summary>How the pixels are optimised. A null learning rate picks the optimiser's own default.</summary>
public sealed record OptimizationSettings
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.Lbfgs;
    public int Steps { get; init; } = 200;
    public double? LearningRate { get; init; }
    /// <summary>L-BFGS curvature pairs kept: each costs two image-sized tensors (24 bytes per pixel).</summary>
    public int HistorySize { get; init; } = 20;

    /// <summary>L-BFGS takes full quasi-Newton steps; Adam moves pixels in [0,1] a few hundredths at a time.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Kind == OptimizerKind.Lbfgs ? 1.0 : 0.02);
}
