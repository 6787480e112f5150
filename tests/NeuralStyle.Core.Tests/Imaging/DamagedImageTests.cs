using System.Buffers.Binary;
using System.Diagnostics;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NeuralStyle.Core.Tests.Imaging;

/// <summary>
/// Files cut short or with forged headers, made from real photos (<see cref="RepositoryFiles.Photo"/>: the originals
/// beside the clone, else the copies in examples/, so any clone runs them): refused with an error naming
/// the file, before the decoder fills the missing part with black or allocates the claimed size.
/// </summary>
public sealed class DamagedImageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Photo(string name)
    {
        string path = RepositoryFiles.Photo(name)
            ?? throw new FileNotFoundException($"{name} is neither in shared/images beside the clone nor in examples/ of '{RepositoryFiles.Root}'.");
        return File.ReadAllBytes(path);
    }

    private static byte[] Encode(IImageEncoder encoder, int width = 160)
    {
        using var image = Image.Load<Rgb24>(Photo("cat.jpg"));
        image.Mutate(x => x.Resize(width, 0));
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }

    private string WriteCut(string name, byte[] bytes, double fraction)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }

    private static void AssertTruncated(string path)
    {
        var e = Assert.Throws<TruncatedImageException>(() => ImageCodec.Read(path));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Theory]
    [InlineData("cat.jpg", 0.30)]
    [InlineData("cat.jpg", 0.90)]
    [InlineData("cat.jpg", 0.999)]
    [InlineData("wood-planks.jpg", 0.30)]
    [InlineData("starry-night.jpg", 0.60)]
    public void CutPhotoJpeg_IsTruncated(string photo, double fraction)
    {
        string path = WriteCut("cut-" + photo, Photo(photo), fraction);
        AssertTruncated(path);
        Assert.True(ImageCodec.Identify(path).Width > 0); // the header alone is intact: planning may still read it
    }

    [Fact]
    public void CmykJpeg_ReadsAsRgb_AndCutIsTruncated()
    {
        // Adobe APP14 and four components: the marker walk and the bound must not mistake them for damage.
        byte[] cmyk = Encode(new JpegEncoder { ColorType = JpegColorType.Cmyk, Quality = 95 });
        byte[] rgb = Encode(new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444, Quality = 95 });
        string cmykPath = _dir.File("cmyk.jpg"), rgbPath = _dir.File("rgb.jpg");
        File.WriteAllBytes(cmykPath, cmyk);
        File.WriteAllBytes(rgbPath, rgb);
        using (RgbImage fromCmyk = ImageCodec.Read(cmykPath), fromRgb = ImageCodec.Read(rgbPath))
        {
            Assert.Equal(fromRgb.Width, fromCmyk.Width);
            float meanDifference = fromCmyk.Rgb.sub(fromRgb.Rgb).abs().mean().item<float>();
            Assert.True(meanDifference < 0.05f, $"CMYK decodes to other colours: mean |difference| {meanDifference}");
        }
        AssertTruncated(WriteCut("cmyk-cut.jpg", cmyk, 0.7));
    }

    [Fact]
    public void CutProgressiveJpeg_IsTruncated()
    {
        // Decoded, this is a blurry but complete-looking image: the later scans are missing, not pixels.
        AssertTruncated(WriteCut("progressive.jpg", Encode(new JpegEncoder { Progressive = true, Quality = 90 }), 0.5));
    }

    [Fact]
    public void CompleteJpeg_WithDataAfterEoi_AndEoiBytesInASegment_Reads()
    {
        byte[] photo = Photo("fabric-morris.jpg");
        // A comment segment holding FF D9 right after SOI (as an EXIF thumbnail would), then the photo, then 4 KB of
        // trailing data (as a phone's motion photo appends its video).
        byte[] comment = [0xFF, 0xFE, 0x00, 0x06, 0xFF, 0xD9, 0xFF, 0xD9];
        byte[] trailer = new byte[4096];
        new Random(1).NextBytes(trailer);
        string path = _dir.File("extras.jpg");
        File.WriteAllBytes(path, [.. photo[..2], .. comment, .. photo[2..], .. trailer]);
        using RgbImage image = ImageCodec.Read(path);
        Assert.True(image.Width > 0);

        // The same file cut inside its scan is still refused: the FF D9 inside the comment does not count as the end.
        string cut = _dir.File("extras-cut.jpg");
        File.WriteAllBytes(cut, [.. photo[..2], .. comment, .. photo[2..(photo.Length / 3)]]);
        AssertTruncated(cut);
    }

    [Fact]
    public void PngWithoutIend_AndPngCutBetweenIdatChunks_AreTruncated()
    {
        byte[] png = Encode(new PngEncoder());
        AssertTruncated(WriteCut("no-iend.png", png, 1.0 - 12.0 / png.Length));

        // Two IDAT chunks, the second (and IEND) lost: every chunk present is intact, the image data is not.
        List<(string Type, byte[] Data)> chunks = PngChunks(png);
        byte[] data = [.. chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data)];
        using var split = new MemoryStream();
        split.Write(png[..8]);
        foreach (var (type, body) in chunks.Where(c => c.Type is not "IDAT" and not "IEND"))
            PngChunk(split, type, body);
        PngChunk(split, "IDAT", data[..(data.Length / 2)]);
        string path = _dir.File("half-idat.png");
        File.WriteAllBytes(path, split.ToArray());
        AssertTruncated(path);
    }

    [Theory]
    [InlineData("gif")]
    [InlineData("webp-lossy")]
    [InlineData("webp-lossless")]
    [InlineData("bmp")]
    public void CutFilesOfOtherFormats_AreTruncated(string kind)
    {
        IImageEncoder encoder = kind switch
        {
            "gif" => new GifEncoder(),
            "webp-lossy" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossy },
            "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
            _ => new BmpEncoder(),
        };
        byte[] bytes = Encode(encoder);
        // BMP cut by a few bytes: ImageSharp itself notices a missing row, not a missing part of the last one.
        AssertTruncated(WriteCut("cut." + kind, bytes, kind == "bmp" ? 1.0 - 10.0 / bytes.Length : 0.9));
        string whole = _dir.File("whole." + kind);
        File.WriteAllBytes(whole, bytes);
        using RgbImage image = ImageCodec.Read(whole);
        Assert.Equal(160, image.Width);
    }

    [Fact]
    public void TiffWithStripsPastTheEnd_IsTruncated_AndOneCutBeforeItsIfd_IsInvalid()
    {
        string path = _dir.File("strips.tif");
        byte[] tiff = StripTiff(16, 16);
        File.WriteAllBytes(path, tiff[..^100]);
        AssertTruncated(path);
        File.WriteAllBytes(path, tiff);
        using (RgbImage image = ImageCodec.Read(path))
            Assert.Equal(16, image.Width);

        // ImageSharp writes the IFD after the pixels: cut, the file has none, and its decoder throws an
        // ArgumentOutOfRangeException, which must still come out as an invalid image naming the file.
        string cut = WriteCut("no-ifd.tif", Encode(new SixLabors.ImageSharp.Formats.Tiff.TiffEncoder()), 0.9);
        var e = Assert.ThrowsAny<InvalidImageException>(() => ImageCodec.Read(cut));
        Assert.Contains(cut, e.Message);
    }

    // ---- forged headers: the claimed size cannot fit in the bytes present ----

    [Theory]
    [InlineData(4096)]
    [InlineData(8192)]
    public void TinyPngClaimingLargeSize_IsRefusedBeforeAllocating(int size)
    {
        string path = _dir.File($"claims-{size}.png");
        File.WriteAllBytes(path, CraftedImages.Png(size, size));
        Assert.True(new FileInfo(path).Length < 120);

        long before = GC.GetAllocatedBytesForCurrentThread();
        long rssBefore = CurrentRss();
        var e = Assert.Throws<ImplausibleImageSizeException>(() => ImageCodec.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long rssGrowth = CurrentRss() - rssBefore;

        Assert.Equal((size, size), ((int)e.Width, (int)e.Height));
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.True(allocated < 4 << 20, $"allocated {allocated:N0} managed bytes before refusing");
        Assert.True(rssGrowth < 64 << 20, $"the process grew by {rssGrowth:N0} bytes before refusing");
        Assert.Throws<ImplausibleImageSizeException>(() => ImageCodec.Identify(path)); // the planning step refuses it too
    }

    [Fact]
    public void SmallJpegAndGif_WithPatchedLargeSize_AreRefused()
    {
        // A real 160-wide JPEG whose SOF0 now says 8192×8192; a GIF whose screen does.
        byte[] jpeg = Encode(new JpegEncoder { Quality = 75 });
        int sof = FindMarker(jpeg, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 8192);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 8192);
        string jpegPath = _dir.File("patched.jpg");
        File.WriteAllBytes(jpegPath, jpeg);
        Assert.Throws<ImplausibleImageSizeException>(() => ImageCodec.Identify(jpegPath));
        Assert.Throws<ImplausibleImageSizeException>(() => ImageCodec.Read(jpegPath));

        byte[] gif = Encode(new GifEncoder(), width: 16);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), 16384);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), 16384);
        string gifPath = _dir.File("patched.gif");
        File.WriteAllBytes(gifPath, gif);
        Assert.Throws<ImplausibleImageSizeException>(() => ImageCodec.Read(gifPath));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("gif")]
    public void GenuineFlatImages_AtTheBestCompression_StillRead(string kind)
    {
        // One colour compresses as well as real files ever do: the floor must stay below them.
        string path = _dir.File("flat." + kind);
        using (var flat = new Image<Rgb24>(2048, 2048, new Rgb24(90, 140, 200)))
        {
            IImageEncoder encoder = kind switch
            {
                "png" => new PngEncoder { CompressionLevel = PngCompressionLevel.BestCompression },
                "jpg" => new JpegEncoder { Quality = 10 },
                _ => new GifEncoder(),
            };
            flat.Save(path, encoder);
        }
        Assert.Equal(2048, ImageCodec.Identify(path).Width);
        using RgbImage image = ImageCodec.Read(path);
        Assert.Equal(2048, image.Height);
    }

    // ---- helpers ----

    private static long CurrentRss()
    {
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static int FindMarker(byte[] jpeg, byte marker)
    {
        for (int i = 2; i < jpeg.Length - 1; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == marker) return i;
        throw new InvalidOperationException($"no 0xFF{marker:X2} marker");
    }

    private static List<(string Type, byte[] Data)> PngChunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        for (int at = 8; at < png.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            chunks.Add((System.Text.Encoding.ASCII.GetString(png, at + 4, 4), png[(at + 8)..(at + 8 + length)]));
            at += 12 + length;
        }
        return chunks;
    }

    private static void PngChunk(Stream s, string type, byte[] data) => CraftedImages.WriteChunk(s, type, data);

    // An 8-bit grey TIFF with its IFD first and one strip of pixels after it, as libtiff and cameras often write.
    private static byte[] StripTiff(int width, int height)
    {
        (ushort Tag, ushort Type, uint Value)[] entries =
        [
            (256, 3, (uint)width), (257, 3, (uint)height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 3, (uint)height), (279, 4, (uint)(width * height)),
        ];
        int ifdSize = 2 + entries.Length * 12 + 4;
        uint dataOffset = (uint)(8 + ifdSize);
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write(8u);
        w.Write((ushort)entries.Length);
        foreach (var (tag, type, value) in entries)
        {
            w.Write(tag);
            w.Write(type);
            w.Write(1u);
            uint v = tag == 273 ? dataOffset : value;
            if (type == 3) { w.Write((ushort)v); w.Write((ushort)0); }
            else w.Write(v);
        }
        w.Write(0u);
        for (int i = 0; i < width * height; i++) w.Write((byte)(i * 7));
        w.Flush();
        return ms.ToArray();
    }
}
