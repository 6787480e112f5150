using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Pyramids;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// The one check every input image passes before any work, whatever its role: it exists and is a
/// file, its header decodes, it claims no more pixels than the decoder allows, and each side has
/// at least the network's minimum (a 1×1 style carries no texture, whatever it is scaled to).
/// </summary>
public static class InputImages
{
    /// <exception cref="InputImageException">The check failed; its inner exception says how.</exception>
    public static ImageHeader Check(string path, ImageRole role, int minimumSide)
    {
        try
        {
            if (Directory.Exists(path)) throw new InvalidImageException(path, $"'{path}' is a directory, not an image file.");
            var header = ImageCodec.Identify(path);
            if ((long)header.Width * header.Height > ImageReadOptions.DefaultMaxPixels)
                throw new ImageTooLargeException(path, header.Width, header.Height, ImageReadOptions.DefaultMaxPixels);
            GaussianPyramid.EnsureFits(header.Width, header.Height, 1, minimumSide, path);
            return header;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InputImageException(role, path, e);
        }
    }
}
