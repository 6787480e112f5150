using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Imaging;

/// <summary>
/// Image files to <see cref="RgbImage"/> tensors and back. Reading guards against decompression bombs, applies EXIF
/// orientation and ICC profiles so the engine sees what a viewer shows; writing clamps, quantises exactly and goes
/// through <see cref="AtomicFile"/> so no half-written output ever exists.
/// </summary>
public static class ImageCodec
{
    // First frame only (animated GIF/PNG/WebP would otherwise decode every frame); ICC profiles converted to sRGB
    // because the networks were trained on sRGB; broken metadata tolerated but broken pixel data is an error.
    private static readonly DecoderOptions Decoder = new()
    {
        MaxFrames = 1,
        ColorProfileHandling = ColorProfileHandling.Convert,
        SegmentIntegrityHandling = SegmentIntegrityHandling.IgnoreAncillary,
    };

    /// <summary>
    /// Reads only the header: size as displayed (after EXIF orientation), format, alpha and bit depth. A header
    /// claiming more pixels than the file can hold data for is refused (<see cref="ImplausibleImageSizeException"/>).
    /// </summary>
    public static ImageHeader Identify(string path)
    {
        using FileStream stream = OpenForRead(path, out string fullPath);
        ImageInfo info = IdentifyStream(stream, fullPath);
        ImageDataBound.Ensure(stream, fullPath, info);
        (int width, int height) = OrientedSize(info);
        return new ImageHeader(width, height, info.Metadata.DecodedImageFormat?.Name ?? "unknown", HasAlpha(info), BitsPerChannel(info));
    }

    /// <summary>
    /// Decodes a JPEG, PNG, WebP, BMP, TIFF or GIF (first frame) into CPU float32 tensors in [0,1]:
    /// k/255 for 8-bit sources, k/65535 for deeper ones. Alpha is kept only when the source has an alpha channel.
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="ImageTooLargeException">The header claims more than <see cref="ImageReadOptions.MaxPixels"/>.</exception>
    /// <exception cref="InvalidImageException">A directory, or not a decodable image.</exception>
    public static RgbImage Read(string path, ImageReadOptions? options = null)
    {
        options ??= ImageReadOptions.Default;
        using FileStream stream = OpenForRead(path, out string fullPath);

        // The header first: a tiny file can claim 100000×100000, and the decoder would allocate for it.
        ImageInfo info = IdentifyStream(stream, fullPath);
        if ((long)info.Width * info.Height > options.MaxPixels)
            throw new ImageTooLargeException(fullPath, info.Width, info.Height, options.MaxPixels);
        ImageDataBound.Ensure(stream, fullPath, info);
        ImageCompleteness.Ensure(stream, fullPath, info);

        bool hasAlpha = HasAlpha(info);
        int bits = BitsPerChannel(info);
        stream.Position = 0;
        // 8-bit sources decode to Rgba32 so values are exactly k/255; deeper ones to Rgba64 so nothing is lost.
        return bits > 8
            ? Decode<Rgba64>(stream, fullPath, hasAlpha, 16, ToPlanes16)
            : Decode<Rgba32>(stream, fullPath, hasAlpha, 8, ToPlanes8);
    }

    /// <summary>
    /// Encodes <paramref name="image"/> (tensors on any device; values clamped to [0,1], NaN as 0) and writes it
    /// atomically. Alpha is written to PNG when the image has it; JPEG cannot hold it, and ImageSharp 4's TIFF
    /// encoder cannot write it (it always writes 24-bit RGB), so both get the colour only.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The destination folder does not exist.</exception>
    /// <exception cref="OutputExistsException">The file exists and <see cref="ImageWriteOptions.Overwrite"/> is off.</exception>
    public static void Write(RgbImage image, string path, ImageWriteOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(path);

        string fullPath = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(fullPath);
        if (folder is not null && !Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{fullPath}': the folder '{folder}' does not exist.");
        if (!options.Overwrite && File.Exists(fullPath))
            throw new OutputExistsException(fullPath); // before encoding: don't spend the work on a write that must fail
        ct.ThrowIfCancellationRequested();

        bool withAlpha = image.HasAlpha && options.Format is ImageFileFormat.Png or ImageFileFormat.Png16;
        int width = image.Width, height = image.Height;
        float[] rgb = ToCpuArray(image.Rgb);
        float[]? alpha = withAlpha ? ToCpuArray(image.Alpha!) : null;

        using Image encoded = options.Format == ImageFileFormat.Png16
            ? (withAlpha ? FromPlanes<Rgba64>(rgb, alpha, width, height, Rgba64Of) : FromPlanes<Rgb48>(rgb, null, width, height, Rgb48Of))
            : (withAlpha ? FromPlanes<Rgba32>(rgb, alpha, width, height, Rgba32Of) : FromPlanes<Rgb24>(rgb, null, width, height, Rgb24Of));

        IImageEncoder encoder = options.Format switch
        {
            ImageFileFormat.Png => new PngEncoder { BitDepth = PngBitDepth.Bit8, ColorType = withAlpha ? PngColorType.RgbWithAlpha : PngColorType.Rgb },
            ImageFileFormat.Png16 => new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = withAlpha ? PngColorType.RgbWithAlpha : PngColorType.Rgb },
            ImageFileFormat.Jpeg => new JpegEncoder
            {
                Quality = options.JpegQuality,
                // Asking for high quality means keeping colour detail too: 4:2:0 halves chroma resolution and
                // smears the fine coloured texture style transfer produces.
                ColorType = options.JpegQuality >= 90 ? JpegColorType.YCbCrRatio444 : JpegColorType.YCbCrRatio420,
            },
            ImageFileFormat.Tiff => new TiffEncoder { BitsPerPixel = TiffBitsPerPixel.Bit24, Compression = TiffCompression.Deflate },
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown image format."),
        };

        AtomicFile.Write(fullPath, stream => encoded.Save(stream, encoder), options.Overwrite, ct);
    }

    // ---- reading ----

    private static FileStream OpenForRead(string path, out string fullPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
            throw new InvalidImageException(fullPath, $"Cannot read '{fullPath}' as an image: it is a directory.");
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Image file '{fullPath}' does not exist.", fullPath);
        return new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
    }

    private static ImageInfo IdentifyStream(Stream stream, string fullPath)
    {
        try
        {
            return Image.Identify(Decoder, stream);
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            throw Wrap(fullPath, e);
        }
    }

    private delegate void PlaneCopier<TPixel>(Image<TPixel> image, float[] rgb, float[]? alpha) where TPixel : unmanaged, IPixel<TPixel>;

    private static RgbImage Decode<TPixel>(Stream stream, string fullPath, bool hasAlpha, int bitDepth, PlaneCopier<TPixel> copy)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Image<TPixel> decoded;
        try
        {
            decoded = Image.Load<TPixel>(Decoder, stream);
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            throw Wrap(fullPath, e);
        }

        using (decoded)
        {
            // Cameras store the sensor's orientation in EXIF; without this, portraits would come out on their side.
            decoded.Mutate(x => x.AutoOrient());
            int width = decoded.Width, height = decoded.Height;
            var rgb = new float[3L * width * height];
            float[]? alpha = hasAlpha ? new float[(long)width * height] : null;
            copy(decoded, rgb, alpha);

            using var scope = NewDisposeScope();
            Tensor rgbTensor = torch.tensor(rgb, [1, 3, height, width], ScalarType.Float32);
            Tensor? alphaTensor = alpha is null ? null : torch.tensor(alpha, [1, 1, height, width], ScalarType.Float32);
            return new RgbImage(rgbTensor, alphaTensor, bitDepth); // RgbImage detaches them from the scope
        }
    }

    // Row spans into planar (CHW) float arrays: one pass, no per-pixel tensor access. Division (not multiplication by
    // a reciprocal) so each value is exactly the float nearest k/255 or k/65535.
    private static void ToPlanes8(Image<Rgba32> image, float[] rgb, float[]? alpha)
    {
        int width = image.Width, plane = width * image.Height;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgba32> row = accessor.GetRowSpan(y);
                int o = y * width;
                for (int x = 0; x < row.Length; x++)
                {
                    Rgba32 p = row[x];
                    rgb[o + x] = p.R / 255f;
                    rgb[plane + o + x] = p.G / 255f;
                    rgb[2 * plane + o + x] = p.B / 255f;
                    if (alpha is not null)
                        alpha[o + x] = p.A / 255f;
                }
            }
        });
    }

    private static void ToPlanes16(Image<Rgba64> image, float[] rgb, float[]? alpha)
    {
        int width = image.Width, plane = width * image.Height;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgba64> row = accessor.GetRowSpan(y);
                int o = y * width;
                for (int x = 0; x < row.Length; x++)
                {
                    Rgba64 p = row[x];
                    rgb[o + x] = p.R / 65535f;
                    rgb[plane + o + x] = p.G / 65535f;
                    rgb[2 * plane + o + x] = p.B / 65535f;
                    if (alpha is not null)
                        alpha[o + x] = p.A / 65535f;
                }
            }
        });
    }

    private static bool HasAlpha(ImageInfo info) =>
        info.PixelType.AlphaRepresentation is { } a && a != PixelAlphaRepresentation.None;

    private static int BitsPerChannel(ImageInfo info)
    {
        if (info.PixelType.ComponentInfo is { } components)
            return components.GetMaximumComponentPrecision();
        return info.PixelType.BitsPerPixel > 32 ? 16 : 8; // no per-component info: judge by the pixel size
    }

    // EXIF orientations 5..8 are transposes: the displayed image has width and height swapped.
    private static (int Width, int Height) OrientedSize(ImageInfo info)
    {
        ExifProfile? exif = info.Metadata.ExifProfile;
        if (exif is not null && exif.TryGetValue(ExifTag.Orientation, out IExifValue<ushort>? value) && value.Value is >= 5 and <= 8)
            return (info.Height, info.Width);
        return (info.Width, info.Height);
    }

    // The arguments we pass are always valid, so an argument or index error from inside the decoder is bad data too
    // (ImageSharp's TIFF decoder throws ArgumentOutOfRangeException for a file cut before its IFD).
    private static bool IsDecodeFailure(Exception e) =>
        e is ImageFormatException or NotSupportedException or EndOfStreamException or InvalidDataException
            or ArgumentException or IndexOutOfRangeException or OverflowException;

    private static InvalidImageException Wrap(string fullPath, Exception e) => e switch
    {
        UnknownImageFormatException => new InvalidImageException(fullPath,
            $"'{fullPath}' is not an image in a supported format (JPEG, PNG, WebP, BMP, TIFF, GIF).", e),
        _ => new InvalidImageException(fullPath, $"'{fullPath}' is corrupt or truncated and cannot be decoded: {e.Message}", e),
    };

    // ---- writing ----

    private static float[] ToCpuArray(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
    }

    // Clamp (optimisers overshoot [0,1] a little; NaN fails both comparisons and becomes 0) and round half up,
    // so k/255 -> k and k/65535 -> k exactly. Double keeps the 16-bit product exact.
    private static byte Q8(float v) => v >= 0f ? (v <= 1f ? (byte)(v * 255.0 + 0.5) : (byte)255) : (byte)0;

    private static ushort Q16(float v) => v >= 0f ? (v <= 1f ? (ushort)(v * 65535.0 + 0.5) : ushort.MaxValue) : (ushort)0;

    private static Rgb24 Rgb24Of(float r, float g, float b, float a) => new(Q8(r), Q8(g), Q8(b));

    private static Rgba32 Rgba32Of(float r, float g, float b, float a) => new(Q8(r), Q8(g), Q8(b), Q8(a));

    private static Rgb48 Rgb48Of(float r, float g, float b, float a) => new(Q16(r), Q16(g), Q16(b));

    private static Rgba64 Rgba64Of(float r, float g, float b, float a) => new(Q16(r), Q16(g), Q16(b), Q16(a));

    private static Image<TPixel> FromPlanes<TPixel>(float[] rgb, float[]? alpha, int width, int height, Func<float, float, float, float, TPixel> pack)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var image = new Image<TPixel>(width, height);
        int plane = width * height;
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<TPixel> row = accessor.GetRowSpan(y);
                int o = y * width;
                for (int x = 0; x < row.Length; x++)
                {
                    int i = o + x;
                    row[x] = pack(rgb[i], rgb[plane + i], rgb[2 * plane + i], alpha is null ? 1f : alpha[i]);
                }
            }
        });
        return image;
    }
}
