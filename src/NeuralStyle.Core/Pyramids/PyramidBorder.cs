namespace NeuralStyle.Core.Pyramids;

/// <summary>How the blur treats pixels beyond the image edge.</summary>
public enum PyramidBorder
{
    /// <summary>Mirror the image at its edges (no dark frame, no wrap-around).</summary>
    Reflect,

    /// <summary>Wrap around: the left edge continues the right one. Used for tileable outputs.</summary>
    Circular,
}
