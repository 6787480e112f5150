using NeuralStyle.Core.Losses;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Optimization;

/// <summary>The optimised image (detached; the caller owns it) and how the run ended.</summary>
public sealed record OptimizationResult(Tensor Image, double FinalLoss, double Content, double Style, double TotalVariation, int Steps, TimeSpan Elapsed);
