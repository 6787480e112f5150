using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Everything one synthesis is asked for, texture and style transfer alike: a texture is a request
/// without <see cref="Content"/>. Defaults that depend on the network (weights, layers) are left
/// null and decided by the plan.
/// </summary>
public sealed record SynthesisRequest
{
    /// <summary>The style images (texture sources), joined by weighted mean of their statistics.</summary>
    public required IReadOnlyList<WeightedSource> Styles { get; init; }

    /// <summary>The image to restyle; null makes a texture.</summary>
    public ContentPart? Content { get; init; }

    /// <summary>The output size of a texture; a transfer's comes from its content (<see cref="ContentPart.MaxSize"/>).</summary>
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;

    /// <summary>Octaves of the style pyramid; null takes the most (up to <see cref="SynthesisPlanner.PreferredOctaves"/>) every image can hold.</summary>
    public int? Octaves { get; init; }

    /// <summary>
    /// A texture's sources at this fraction of their pixel size before their statistics are taken: below 1 a large
    /// photo's features shrink to suit a small texture (a transfer scales its styles by <see cref="ContentPart.StyleScale"/>).
    /// </summary>
    public double SourceScale { get; init; } = 1.0;

    public int StepsPerStage { get; init; } = 100;
    public bool CoarseToFine { get; init; } = true;
    public StyleLossKind StyleLoss { get; init; } = StyleLossKind.Gram;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Lbfgs;
    public double? LearningRate { get; init; }

    /// <summary>A seamless (tileable) texture: circular borders in the network, the pyramid and the upsampling.</summary>
    public bool Tileable { get; init; }

    public long Seed { get; init; } = 1;

    /// <summary>Noise (texture default), Mean, Content (transfer default), or Image: <see cref="InitImagePath"/>, which it needs.</summary>
    public InitKind Init { get; init; } = InitKind.Noise;
    public string? InitImagePath { get; init; }

    /// <summary>Null: the network profile's content weight (0 for a texture).</summary>
    public double? ContentWeight { get; init; }

    /// <summary>Multiplies the profile's style weight.</summary>
    public double StyleStrength { get; init; } = 1.0;

    /// <summary>Null: the network profile's total-variation weight.</summary>
    public double? TvWeight { get; init; }

    /// <summary>Null: the network profile's colour-distribution weight (see <see cref="ColourTerm"/>).</summary>
    public double? ColourWeight { get; init; }

    /// <summary>Style layers; null takes the network profile's.</summary>
    public IReadOnlyList<StyleLayer>? StyleLayers { get; init; }

    /// <summary>
    /// Tile core for block-wise evaluation; null decides from the memory estimate per stage
    /// (whole-image when it fits), a value forces block-wise evaluation with tiles of that many pixels.
    /// </summary>
    public int? TileSize { get; init; }

    /// <summary>Checkpoints (and resuming from one); null: none. See <see cref="CheckpointPlan"/>.</summary>
    public CheckpointRequest? Checkpoints { get; init; }
}

/// <summary>The content part of a style transfer.</summary>
/// <param name="MaxSize">Long side of the output; smaller contents keep their size.</param>
/// <param name="StyleScale">The styles' long side relative to the output's: larger values give larger brush strokes.</param>
public sealed record ContentPart(string Path, int MaxSize = 512, double StyleScale = 1.0,
    ColorPreservation PreserveColor = ColorPreservation.None);
