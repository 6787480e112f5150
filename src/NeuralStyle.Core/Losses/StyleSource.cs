using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Losses;

/// <summary>A style (or texture source) image and its share when several are joined.</summary>
public sealed record StyleSource(RgbImage Image, double Weight = 1.0);
