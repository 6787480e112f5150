namespace NeuralStyle.Core.Synthesis;

/// <summary>Where the optimisation starts.</summary>
public enum InitKind
{
    /// <summary>Random noise around the source's mean colour.</summary>
    Noise,

    /// <summary>The source's mean colour with faint noise: calmer, slower to break symmetry.</summary>
    Mean,

    /// <summary>A given image (-InitImage), resized to the first stage.</summary>
    Image,

    /// <summary>The content image itself (style transfer only; its default).</summary>
    Content,
}
