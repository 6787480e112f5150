namespace NeuralStyle.Core.Synthesis;

/// <summary>Where the optimisation starts.</summary>
public enum InitKind
{
    /// <summary>Random noise around the source's mean colour.</summary>
    Noise,

    /// <summary>The source's mean colour with faint noise: calmer, slower to break symmetry.</summary>
    Mean,

    /// <summary>A given image, resized (for textures) or the content image (for style transfer).</summary>
    Image,
}
