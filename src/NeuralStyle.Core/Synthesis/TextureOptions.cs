using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;

namespace NeuralStyle.Core.Synthesis;

/// <summary>Everything a texture synthesis needs besides the network and the sources.</summary>
public sealed record TextureOptions
{
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;
    public int Octaves { get; init; } = 4;
    public int StepsPerStage { get; init; } = 200;
    public bool CoarseToFine { get; init; } = true;
    public bool Tileable { get; init; }
    public StyleLossKind StyleLoss { get; init; } = StyleLossKind.Gram;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Lbfgs;
    public double? LearningRate { get; init; }
    public InitKind Init { get; init; } = InitKind.Noise;

    /// <summary>Start image for <see cref="InitKind.Image"/>.</summary>
    public string? InitImagePath { get; init; }

    public long Seed { get; init; } = 1;

    /// <summary>Style layers; null takes the network profile's.</summary>
    public IReadOnlyList<StyleLayer>? StyleLayers { get; init; }

    /// <summary>Loss weights; null takes the network profile's texture defaults.</summary>
    public LossWeights? Weights { get; init; }

    /// <summary>
    /// Tile core for block-wise evaluation; null decides from the memory estimate (whole-image when it
    /// fits), a value forces block-wise evaluation with tiles of that many pixels.
    /// </summary>
    public int? TileSize { get; init; }

    /// <summary>Write the current image every N steps (0 = never) to <see cref="CheckpointPath"/>.</summary>
    public int CheckpointEvery { get; init; }
    public string? CheckpointPath { get; init; }
}
