namespace NeuralStyle.Core.Optimization;

/// <summary>How the pixels are optimised. A null learning rate picks the optimiser's own default.</summary>
public sealed record OptimizationSettings
{
    public OptimizerKind Kind { get; init; } = OptimizerKind.Lbfgs;
    public int Steps { get; init; } = 200;
    public double? LearningRate { get; init; }
    /// <summary>L-BFGS curvature pairs kept: each costs two image-sized tensors (24 bytes per pixel).</summary>
    public int HistorySize { get; init; } = 20;

    /// <summary>
    /// The curvature pairs stored compactly, for stages whose full-precision history would not fit (at 4096², 20 float32 pairs
    /// are 8 GB): each step s at half the image's precision (float32 images: bfloat16) and each gradient change y in bytes
    /// (<see cref="HistoryPrecision.Byte"/>), 9 bytes per pixel a pair instead of 24. Steps in bytes cost measured quality; gradient
    /// changes in bytes cost little (quality/results/levers.md). The two-loop recursion still computes in the image's precision.
    /// </summary>
    public bool CompactHistory { get; init; }

    /// <summary>L-BFGS takes full quasi-Newton steps; Adam moves pixels in [0,1] a few hundredths at a time.</summary>
    public double EffectiveLearningRate => LearningRate ?? (Kind == OptimizerKind.Lbfgs ? 1.0 : 0.02);
}
