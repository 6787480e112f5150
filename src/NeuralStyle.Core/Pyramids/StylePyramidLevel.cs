using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Pyramids;

/// <summary>One octave of a style image's pyramid, as an image that can be saved.</summary>
public sealed class StylePyramidLevel(int octave, RgbImage image) : IDisposable
{
    /// <summary>1 for the source itself, 2 for half size, and so on.</summary>
    public int Octave { get; } = octave;
    public RgbImage Image { get; } = image;
    public int Width => Image.Width;
    public int Height => Image.Height;

    /// <summary>Linear scale relative to the source: 1, 1/2, 1/4, …</summary>
    public double Scale => Math.Pow(0.5, Octave - 1);

    public void Save(string path, ImageWriteOptions options, CancellationToken cancellationToken = default) =>
        ImageCodec.Write(Image, path, options, cancellationToken);

    public void Dispose() => Image.Dispose();
}
