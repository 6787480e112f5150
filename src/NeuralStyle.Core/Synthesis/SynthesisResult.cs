using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Synthesis;

/// <summary>The synthesised image and how it was made. Owns the image: dispose the result when done with it.</summary>
public sealed record SynthesisResult(RgbImage Image, int Steps, double FinalLoss, TimeSpan Elapsed, string Network, string Device, long Seed)
    : IDisposable
{
    public void Dispose() => Image.Dispose();
}
