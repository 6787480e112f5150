using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace NeuralStyle.Core.Imaging;

/// <summary>
/// Checks, before decoding, that a file reaches the end its format defines: JPEG's EOI marker after the last scan,
/// PNG's IEND chunk, GIF's trailer, the RIFF length of a WebP, the pixel array of an uncompressed BMP, TIFF's strips.
/// </summary>
/// <remarks>
/// ImageSharp 4.1.3 cannot tell us: measured on a photo cut to 30 %, its JPEG decoder returns an image that is 62 %
/// black with no exception and no warning, with <c>SegmentIntegrityHandling.Strict</c> as with the default, and the
/// stream position after decoding is the end of the data either way. A progressive JPEG cut in half decodes to a
/// blurry full image; GIF, WebP, a BMP missing its last row and a PNG without IEND (cut between chunks) decode
/// silently too. Only PNG cut inside a chunk fails (CRC). So the structure is walked here: seeks over segments,
/// one pass over a JPEG's entropy-coded bytes, nothing decoded.
/// </remarks>
internal static class ImageCompleteness
{
    /// <exception cref="TruncatedImageException">The file ends before the image does.</exception>
    public static void Ensure(Stream stream, string fullPath, ImageInfo info)
    {
        string? missing = info.Metadata.DecodedImageFormat switch
        {
            JpegFormat => JpegMarkers.FindMissingEnd(stream),
            PngFormat => PngMissingEnd(stream),
            GifFormat => GifMissingEnd(stream),
            WebpFormat => WebpMissingEnd(stream),
            BmpFormat => BmpMissingEnd(stream),
            TiffFormat => TiffMissingEnd(stream, info),
            _ => null,
        };
        if (missing is not null)
            throw new TruncatedImageException(fullPath, missing);
    }

    // Chunks: 4-byte length, 4-byte type, data, 4-byte CRC, after the 8-byte signature, until IEND.
    private static string? PngMissingEnd(Stream stream)
    {
        stream.Position = 8;
        Span<byte> head = stackalloc byte[8];
        while (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length)
        {
            if (head[4..].SequenceEqual("IEND"u8)) return null;
            stream.Position += BinaryPrimitives.ReadUInt32BigEndian(head) + 4L;
            if (stream.Position > stream.Length) return "a chunk runs past the end of the file";
        }
        return "it ends without the PNG end chunk (IEND)";
    }

    // Header, screen descriptor, global colour table, then extension (0x21) and image (0x2C) blocks until 0x3B.
    private static string? GifMissingEnd(Stream stream)
    {
        stream.Position = 10;
        int flags = stream.ReadByte();
        stream.Position = 13 + ColourTableBytes(flags);
        while (true)
        {
            switch (stream.ReadByte())
            {
                case 0x3B:
                    return null;
                case 0x21:
                    stream.Position += 1; // the extension's label
                    break;
                case 0x2C:
                    stream.Position += 8; // left, top, width, height
                    int local = stream.ReadByte();
                    stream.Position += ColourTableBytes(local) + 1; // and the LZW minimum code size
                    break;
                case < 0:
                    return "it ends without the GIF trailer";
                default:
                    return "an unknown block follows the image data";
            }
            if (!SkipSubBlocks(stream)) return "an image or extension block runs past the end of the file";
        }
    }

    private static int ColourTableBytes(int flags) => flags >= 0 && (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0;

    private static bool SkipSubBlocks(Stream stream)
    {
        while (true)
        {
            if (stream.Position > stream.Length) return false;
            int size = stream.ReadByte();
            if (size < 0) return false;
            if (size == 0) return true;
            stream.Position += size;
        }
    }

    // "RIFF", the little-endian length of what follows it, "WEBP".
    private static string? WebpMissingEnd(Stream stream)
    {
        Span<byte> head = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(head);
        long declared = 8L + BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        return stream.Length < declared ? $"its RIFF header says {declared:N0} bytes, the file has {stream.Length:N0}" : null;
    }

    // Uncompressed bitmaps (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS) store every row, padded to 4 bytes.
    private static string? BmpMissingEnd(Stream stream)
    {
        Span<byte> head = stackalloc byte[34];
        stream.Position = 0;
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length) return null; // let the decoder judge
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(head[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(head[14..]);
        if (headerSize < 40) return null; // OS/2 headers: rare, left to the decoder
        long width = BinaryPrimitives.ReadInt32LittleEndian(head[18..]);
        long height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(head[22..]));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(head[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(head[30..]);
        if (compression is not (0 or 3 or 6)) return null;
        long needed = offset + (width * bits + 31) / 32 * 4 * height;
        return stream.Length < needed ? $"its pixel rows need {needed:N0} bytes, the file has {stream.Length:N0}" : null;
    }

    // The first IFD's strips (or tiles) must lie inside the file.
    private static string? TiffMissingEnd(Stream stream, ImageInfo info)
    {
        ExifProfile? ifd = info.FrameMetadataCollection.Count > 0 ? info.FrameMetadataCollection[0].ExifProfile : null;
        if (ifd is null) return null;
        long end = DataEnd(ifd, ExifTag.StripOffsets, ExifTag.StripByteCounts)
            ?? DataEnd(ifd, ExifTag.TileOffsets, ExifTag.TileByteCounts) ?? 0;
        return stream.Length < end ? $"its image data reaches byte {end:N0}, the file has {stream.Length:N0}" : null;
    }

    private static long? DataEnd(ExifProfile ifd, ExifTag<Number[]> offsetsTag, ExifTag<Number[]> countsTag)
    {
        if (!ifd.TryGetValue(offsetsTag, out IExifValue<Number[]>? offsets) || !ifd.TryGetValue(countsTag, out IExifValue<Number[]>? counts)
            || offsets.Value is null || counts.Value is null)
            return null;
        long end = 0;
        for (int i = 0; i < Math.Min(offsets.Value.Length, counts.Value.Length); i++)
            end = Math.Max(end, (long)(uint)offsets.Value[i] + (uint)counts.Value[i]);
        return end;
    }
}
