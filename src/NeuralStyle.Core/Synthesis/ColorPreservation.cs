namespace NeuralStyle.Core.Synthesis;

/// <summary>Gatys et al. 2016, "Controlling perceptual factors": keep the content's colours.</summary>
public enum ColorPreservation
{
    /// <summary>Take colours from the style.</summary>
    None,

    /// <summary>Transfer on luminance only (YIQ), then put the content's chrominance back.</summary>
    Luminance,

    /// <summary>Recolour the style to the content's colour mean and covariance before the transfer.</summary>
    Histogram,
}
