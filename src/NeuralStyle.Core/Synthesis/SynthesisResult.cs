using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Synthesis;

/// <summary>The synthesised image (the caller owns and disposes it) and how it was made.</summary>
public sealed record SynthesisResult(RgbImage Image, int Steps, double FinalLoss, TimeSpan Elapsed, string Network, string Device, long Seed);
