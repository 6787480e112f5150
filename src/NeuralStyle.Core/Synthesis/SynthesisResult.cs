using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Synthesis;

/// <summary>The synthesised image and how it was made. Owns the image: dispose the result when done with it.</summary>
public sealed record SynthesisResult(RgbImage Image, int Steps, double FinalLoss, TimeSpan Elapsed, string Network, string Device, long Seed)
    : IDisposable
{
    /// <summary>libtorch intra-op threads the run used on the CPU (see <see cref="Compute.ThreadBudget"/>).</summary>
    public int Threads { get; init; }

    public void Dispose() => Image.Dispose();
}
