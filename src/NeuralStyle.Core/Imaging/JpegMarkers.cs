namespace NeuralStyle.Core.Imaging;

/// <summary>
/// Walks a JPEG's marker structure (ITU T.81 Annex B) without decoding: segments are skipped by their length,
/// entropy-coded data after each SOS byte by byte up to the next marker (FF00 is a stuffed byte, FFD0–FFD7 restarts).
/// </summary>
internal static class JpegMarkers
{
    private const int Soi = 0xD8, Eoi = 0xD9, Sos = 0xDA;

    /// <summary>The first frame marker (SOF0–SOF15, 0xC0–0xCF but DHT, JPG and DAC), or null if none comes before the data.</summary>
    public static int? FrameMarker(Stream stream)
    {
        stream.Position = 0;
        if (!StartsWithSoi(stream)) return null;
        while (NextMarker(stream) is int marker)
        {
            if (IsFrame(marker)) return marker;
            if (marker == Sos || marker == Eoi || !SkipSegment(stream, marker)) return null;
        }
        return null;
    }

    /// <summary>True when the SOF marker says arithmetic coding (SOF9–11, SOF13–15), whose compression has no useful bound.</summary>
    public static bool IsArithmetic(int frameMarker) => frameMarker is >= 0xC9 and <= 0xCF and not 0xCC;

    /// <summary>
    /// Null when the stream holds every scan through the EOI marker; otherwise what is missing. Data after EOI
    /// (a phone's appended video, padding) is not looked at, and EXIF thumbnails sit inside APP1 and are skipped whole.
    /// </summary>
    public static string? FindMissingEnd(Stream stream)
    {
        stream.Position = 0;
        if (!StartsWithSoi(stream)) return "it does not start with a JPEG SOI marker";
        bool sawScan = false;
        int? marker = NextMarker(stream);
        while (marker is int m)
        {
            if (m == Eoi)
                return sawScan ? null : "it ends (EOI) before any image data (SOS)";
            if (!SkipSegment(stream, m))
                return $"a 0x{m:X2} segment runs past the end of the file";
            if (m == Sos)
            {
                sawScan = true;
                marker = SkipEntropyCodedData(stream);
                continue;
            }
            marker = NextMarker(stream);
        }
        return sawScan
            ? $"the compressed image data stops at byte {stream.Length:N0} without the JPEG end marker (EOI)"
            : "the file ends before any image data (SOS)";
    }

    private static bool IsFrame(int marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static bool StartsWithSoi(Stream stream) => stream.ReadByte() == 0xFF && stream.ReadByte() == Soi;

    // The next marker's code after any fill bytes (0xFF repeated), or null at the end of the stream.
    private static int? NextMarker(Stream stream)
    {
        int b;
        do { b = stream.ReadByte(); } while (b >= 0 && b != 0xFF);
        while (b == 0xFF) b = stream.ReadByte();
        return b < 0 ? null : b;
    }

    // Markers without a length: restarts (RST0–7), TEM, SOI, EOI. Others: a big-endian length that counts itself.
    private static bool SkipSegment(Stream stream, int marker)
    {
        if (marker is >= 0xD0 and <= 0xD9 or 0x01) return true;
        int hi = stream.ReadByte(), lo = stream.ReadByte();
        if (lo < 0) return false;
        int length = (hi << 8) | lo;
        if (length < 2) return false;
        stream.Position += length - 2;
        return stream.Position <= stream.Length;
    }

    // Returns the marker that ends the scan (null at the end of the stream).
    private static int? SkipEntropyCodedData(Stream stream)
    {
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0) return null;
            if (b != 0xFF) continue;
            int next;
            do { next = stream.ReadByte(); } while (next == 0xFF);
            if (next < 0) return null;
            if (next == 0x00 || next is >= 0xD0 and <= 0xD7) continue; // stuffed byte, restart marker
            return next;
        }
    }
}
