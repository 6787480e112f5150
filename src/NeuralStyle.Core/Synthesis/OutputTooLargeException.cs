namespace NeuralStyle.Core.Synthesis;

/// <summary>The requested output would need more memory than the machine has; nothing was allocated.</summary>
public sealed class OutputTooLargeException(int width, int height, long neededBytes, long availableBytes)
    : InvalidOperationException(
        $"A {width}×{height} output needs about {neededBytes / (1L << 30):N1} GiB for one optimisation step, " +
        $"but only {availableBytes / (1L << 30):N1} GiB are available. Choose a smaller size.")
{
    public long NeededBytes { get; } = neededBytes;
    public long AvailableBytes { get; } = availableBytes;
}
