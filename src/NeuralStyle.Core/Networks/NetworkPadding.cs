namespace NeuralStyle.Core.Networks;

/// <summary>How a feature network pads the borders of its convolutions and pools.</summary>
public enum NetworkPadding
{
    /// <summary>Zero padding (max-pool: -inf), exactly what the network was trained with.</summary>
    Zeros,

    /// <summary>
    /// Wrap-around padding: the network sees the image as a torus, so an image optimised through it
    /// has no seam when tiled (seamless textures).
    /// </summary>
    Circular,

    /// <summary>
    /// Mirror padding: no dark zero border whose statistics depend on the image's size. Used for
    /// synthesis, where the small pyramid levels of the style and of the generated image would
    /// otherwise carry different amounts of border.
    /// </summary>
    Reflect,
}
