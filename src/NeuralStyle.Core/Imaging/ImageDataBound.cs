using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;

namespace NeuralStyle.Core.Imaging;

/// <summary>
/// The fewest bytes an image of the claimed size can be stored in, at the best compression its format's coding
/// allows. A file shorter than that has a damaged or forged header, and is refused before the decoder allocates
/// width×height pixels for it (an 84-byte PNG claiming 4096² would otherwise cost 450 MB).
/// </summary>
/// <remarks>
/// Each bound is a floor no real file can go under, so it never refuses a genuine image: PNG is deflate, at most
/// 258 bytes per two bits (1032:1) of its filtered rows; a Huffman JPEG spends at least one bit on every 8×8 block
/// of its first component; a GIF's LZW codes are at least 3 bits and stand for at most 4096 pixels. WebP lossless
/// (a one-symbol prefix code costs zero bits), arithmetic-coded JPEG, RLE BMP and TIFF (CCITT, JPEG, …) have no
/// useful floor; for them only <see cref="ImageReadOptions.MaxPixels"/> and the completeness check stand.
/// </remarks>
internal static class ImageDataBound
{
    private const long DeflateMaxRatio = 1032;
    private const long LzwMaxPixelsPerCode = 4096;
    private const long LzwMinBitsPerCode = 3;

    /// <exception cref="ImplausibleImageSizeException">The file is shorter than its claimed size can need.</exception>
    public static void Ensure(Stream stream, string fullPath, ImageInfo info)
    {
        long? minimum = MinimumBytes(stream, info);
        if (minimum is long needed && stream.Length < needed)
            throw new ImplausibleImageSizeException(fullPath, info.Width, info.Height, stream.Length, needed);
    }

    private static long? MinimumBytes(Stream stream, ImageInfo info)
    {
        long width = info.Width, height = info.Height;
        switch (info.Metadata.DecodedImageFormat)
        {
            case PngFormat:
                PngMetadata png = info.Metadata.GetFormatMetadata(PngFormat.Instance);
                long bitsPerPixel = (png.BitDepth is { } depth ? (int)depth : 1) * Channels(png.ColorType);
                long rawBytes = height * (1 + (width * bitsPerPixel + 7) / 8); // a filter byte per row
                return rawBytes / DeflateMaxRatio;
            case JpegFormat:
                if (JpegMarkers.FrameMarker(stream) is not int frame || JpegMarkers.IsArithmetic(frame)) return null;
                long blocks = ((width + 7) / 8) * ((height + 7) / 8);
                return blocks / 8;
            case GifFormat:
                long codes = (width * height + LzwMaxPixelsPerCode - 1) / LzwMaxPixelsPerCode;
                return codes * LzwMinBitsPerCode / 8;
            default:
                return null;
        }
    }

    private static int Channels(PngColorType? colorType) => colorType switch
    {
        PngColorType.Rgb => 3,
        PngColorType.GrayscaleWithAlpha => 2,
        PngColorType.RgbWithAlpha => 4,
        _ => 1, // grayscale, palette, or unknown: the smallest, so the bound stays a floor
    };
}
