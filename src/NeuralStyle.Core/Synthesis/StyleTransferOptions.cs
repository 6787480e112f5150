using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;

namespace NeuralStyle.Core.Synthesis;

/// <summary>Everything a style transfer needs besides the network, the content and the styles.</summary>
public sealed record StyleTransferOptions
{
    /// <summary>Long side of the output; smaller contents keep their size.</summary>
    public int MaxSize { get; init; } = 512;
    public int Octaves { get; init; } = 4;

    /// <summary>The style image's long side relative to the output's: larger values give larger brush strokes.</summary>
    public double StyleScale { get; init; } = 1.0;
    public int StepsPerStage { get; init; } = 100;
    public bool CoarseToFine { get; init; } = true;
    public StyleLossKind StyleLoss { get; init; } = StyleLossKind.Gram;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Lbfgs;
    public double? LearningRate { get; init; }

    /// <summary>Content (default), Noise, or Image with <see cref="InitImagePath"/>.</summary>
    public InitKind Init { get; init; } = InitKind.Image;
    public string? InitImagePath { get; init; }
    public ColorPreservation PreserveColor { get; init; } = ColorPreservation.None;
    public long Seed { get; init; } = 1;

    /// <summary>Loss weights; null takes the network profile's transfer defaults.</summary>
    public LossWeights? Weights { get; init; }

    /// <summary>
    /// Tile core for block-wise evaluation; null decides from the memory estimate (whole-image when it
    /// fits), a value forces block-wise evaluation with tiles of that many pixels.
    /// </summary>
    public int? TileSize { get; init; }

    public int CheckpointEvery { get; init; }
    public string? CheckpointPath { get; init; }
}
