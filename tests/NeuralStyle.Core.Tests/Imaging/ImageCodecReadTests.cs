using System.Buffers.Binary;
using System.IO.Compression;
using NeuralStyle.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Icc;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Imaging;

public sealed class ImageCodecReadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Png8_Read_GivesExactKOver255_OnCpuFloat32Contiguous()
    {
        string path = _dir.File("rgb.png");
        using (var src = Pixels.RandomRgb24(7, 5, seed: 1))
        {
            src.Save(path, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
            using RgbImage img = ImageCodec.Read(path);
            Assert.Equal(7, img.Width);
            Assert.Equal(5, img.Height);
            Assert.Equal(8, img.SourceBitDepth);
            Assert.Null(img.Alpha);
            Assert.Equal(torch.ScalarType.Float32, img.Rgb.dtype);
            Assert.Equal(DeviceType.CPU, img.Rgb.device_type);
            Assert.True(img.Rgb.is_contiguous());
            float[] v = Pixels.Values(img.Rgb);
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 7; x++)
                {
                    Rgb24 p = src[x, y];
                    Assert.Equal(p.R / 255f, v[0 * 35 + y * 7 + x]);
                    Assert.Equal(p.G / 255f, v[1 * 35 + y * 7 + x]);
                    Assert.Equal(p.B / 255f, v[2 * 35 + y * 7 + x]);
                }
        }
    }

    [Fact]
    public void ExifRotatedJpeg_ComesOutUpright()
    {
        // Stored 32 wide × 16 high with a red block in the stored top-left; orientation 6 = rotate 90° clockwise to display.
        string path = _dir.File("rotated.jpg");
        using (var src = new Image<Rgb24>(32, 16))
        {
            for (int y = 0; y < 16; y++)
                for (int x = 0; x < 32; x++)
                    src[x, y] = x < 16 && y < 8 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
            src.Metadata.ExifProfile = new ExifProfile();
            src.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            src.Save(path, new JpegEncoder { Quality = 95 });
        }

        ImageHeader header = ImageCodec.Identify(path);
        Assert.Equal((16, 32), (header.Width, header.Height));

        using RgbImage img = ImageCodec.Read(path);
        Assert.Equal((16, 32), (img.Width, img.Height));
        // Stored (x,y) lands at displayed (H-1-y, x): the red block is now the top-right 8×16.
        AssertColour(img, 12, 4, red: true);
        AssertColour(img, 3, 4, red: false);
        AssertColour(img, 12, 28, red: false);
        AssertColour(img, 3, 28, red: false);
    }

    private static void AssertColour(RgbImage img, int x, int y, bool red)
    {
        float r = Pixels.At(img.Rgb, 0, x, y), b = Pixels.At(img.Rgb, 2, x, y);
        Assert.True(red ? r > 0.8f && b < 0.2f : b > 0.8f && r < 0.2f, $"pixel ({x},{y}) r={r} b={b}, expected {(red ? "red" : "blue")}");
    }

    [Fact]
    public void GrayscalePng_BecomesThreeEqualChannels()
    {
        string path = _dir.File("gray.png");
        var rng = new Random(3);
        using var src = new Image<L8>(9, 4);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 9; x++)
                src[x, y] = new L8((byte)rng.Next(256));
        src.Save(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });

        Assert.Equal(8, ImageCodec.Identify(path).BitsPerChannel);
        using RgbImage img = ImageCodec.Read(path);
        Assert.Null(img.Alpha);
        float[] v = Pixels.Values(img.Rgb);
        int plane = 36;
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 9; x++)
            {
                int i = y * 9 + x;
                float expected = src[x, y].PackedValue / 255f;
                Assert.Equal(expected, v[i]);
                Assert.Equal(expected, v[plane + i]);
                Assert.Equal(expected, v[2 * plane + i]);
            }
    }

    [Fact]
    public void Grayscale16Png_KeepsSixteenBits()
    {
        string path = _dir.File("gray16.png");
        var rng = new Random(4);
        using var src = new Image<L16>(5, 3);
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 5; x++)
                src[x, y] = new L16((ushort)rng.Next(65536));
        src.Save(path, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit16 });

        using RgbImage img = ImageCodec.Read(path);
        Assert.Equal(16, img.SourceBitDepth);
        Assert.Equal(src[2, 1].PackedValue / 65535f, Pixels.At(img.Rgb, 1, 2, 1));
    }

    [Fact]
    public void PalettePng_BecomesRgb()
    {
        Rgb24[] palette = [new(255, 0, 0), new(0, 128, 0), new(10, 20, 30), new(250, 250, 5)];
        string path = _dir.File("palette.png");
        using var src = new Image<Rgb24>(8, 6);
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 8; x++)
                src[x, y] = palette[(x + 3 * y) % palette.Length];
        src.Save(path, new PngEncoder { ColorType = PngColorType.Palette });
        using (var check = Image.Load(path))
            Assert.Equal(PngColorType.Palette, check.Metadata.GetPngMetadata().ColorType);

        using RgbImage img = ImageCodec.Read(path);
        Assert.Equal(3, (int)img.Rgb.shape[1]);
        Assert.Null(img.Alpha);
        for (int y = 0; y < 6; y++)
            for (int x = 0; x < 8; x++)
            {
                Rgb24 p = src[x, y];
                Assert.Equal(p.R / 255f, Pixels.At(img.Rgb, 0, x, y));
                Assert.Equal(p.G / 255f, Pixels.At(img.Rgb, 1, x, y));
                Assert.Equal(p.B / 255f, Pixels.At(img.Rgb, 2, x, y));
            }
    }

    [Fact]
    public void PngWithAlpha_KeepsExactAlpha()
    {
        string path = _dir.File("alpha.png");
        using var src = Pixels.RandomRgba32(7, 5, seed: 5);
        src.Save(path, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit8 });

        Assert.True(ImageCodec.Identify(path).HasAlpha);
        using RgbImage img = ImageCodec.Read(path);
        Assert.NotNull(img.Alpha);
        Assert.Equal(new long[] { 1, 1, 5, 7 }, img.Alpha!.shape);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 7; x++)
            {
                Rgba32 p = src[x, y];
                Assert.Equal(p.A / 255f, Pixels.At(img.Alpha, 0, x, y));
                Assert.Equal(p.R / 255f, Pixels.At(img.Rgb, 0, x, y)); // unassociated: colour kept even where alpha is low
            }
    }

    [Fact]
    public void OpaqueSources_HaveNoAlpha()
    {
        string png = _dir.File("opaque.png"), jpg = _dir.File("opaque.jpg");
        using (var src = Pixels.RandomRgb24(6, 6, seed: 6))
        {
            // Explicit colour type: ImageSharp 4 writes even an Rgb24 image as RGBA PNG by default.
            src.Save(png, new PngEncoder { ColorType = PngColorType.Rgb });
            src.SaveAsJpeg(jpg);
        }
        Assert.False(ImageCodec.Identify(png).HasAlpha);
        using RgbImage a = ImageCodec.Read(png);
        using RgbImage b = ImageCodec.Read(jpg);
        Assert.Null(a.Alpha);
        Assert.Null(b.Alpha);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void EmbeddedIccProfile_IsConvertedToSrgb(string ext)
    {
        // The profile says stored red is really sRGB green and vice versa: honouring it swaps the two.
        string tagged = _dir.File("icc" + ext), plain = _dir.File("plain" + ext);
        using (var src = new Image<Rgb24>(16, 8))
        {
            for (int y = 0; y < 8; y++)
                for (int x = 0; x < 16; x++)
                    src[x, y] = x < 8 ? new Rgb24(255, 0, 0) : new Rgb24(0, 255, 0);
            SixLabors.ImageSharp.Formats.IImageEncoder encoder = ext == ".png"
                ? new PngEncoder { ColorType = PngColorType.Rgb }
                : new JpegEncoder { Quality = 100 };
            src.Save(plain, encoder);
            src.Metadata.IccProfile = new IccProfile(SwappedPrimariesIcc.Build());
            src.Save(tagged, encoder);
        }

        using RgbImage withProfile = ImageCodec.Read(tagged), without = ImageCodec.Read(plain);
        float tol = ext == ".png" ? 1e-6f : 0.1f;
        // Left block: stored red, displayed green.
        Assert.Equal(1f, Pixels.At(without.Rgb, 0, 3, 4), tol);
        Assert.Equal(0f, Pixels.At(withProfile.Rgb, 0, 3, 4), tol);
        Assert.Equal(1f, Pixels.At(withProfile.Rgb, 1, 3, 4), tol);
        // Right block: stored green, displayed red.
        Assert.Equal(1f, Pixels.At(withProfile.Rgb, 0, 12, 4), tol);
        Assert.Equal(0f, Pixels.At(withProfile.Rgb, 1, 12, 4), tol);
    }

    public static TheoryData<string> LosslessFormats => ["webp", "bmp", "tiff", "gif"];

    [Theory]
    [MemberData(nameof(LosslessFormats))]
    public void OtherFormats_Decode(string format)
    {
        string path = _dir.File("img." + format);
        // Few colours so GIF's palette holds them all exactly.
        Rgb24[] colours = [new(200, 30, 40), new(20, 180, 60), new(40, 50, 220), new(255, 255, 255)];
        using var src = new Image<Rgb24>(16, 12);
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++)
                src[x, y] = colours[(x / 4 + y / 3) % colours.Length];
        switch (format)
        {
            case "webp": src.Save(path, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }); break;
            case "bmp": src.Save(path, new BmpEncoder()); break;
            case "tiff": src.Save(path, new TiffEncoder()); break;
            case "gif": src.Save(path, new GifEncoder()); break;
        }

        ImageHeader header = ImageCodec.Identify(path);
        Assert.Equal((16, 12), (header.Width, header.Height));
        using RgbImage img = ImageCodec.Read(path);
        Assert.Equal((16, 12), (img.Width, img.Height));
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 16; x++)
            {
                Rgb24 p = src[x, y];
                Assert.InRange(Pixels.At(img.Rgb, 0, x, y), p.R / 255f - 0.02f, p.R / 255f + 0.02f);
                Assert.InRange(Pixels.At(img.Rgb, 1, x, y), p.G / 255f - 0.02f, p.G / 255f + 0.02f);
                Assert.InRange(Pixels.At(img.Rgb, 2, x, y), p.B / 255f - 0.02f, p.B / 255f + 0.02f);
            }
    }

    [Fact]
    public void AnimatedGif_FirstFrameOnly()
    {
        string path = _dir.File("anim.gif");
        using (var gif = new Image<Rgba32>(4, 4, new Rgba32(255, 0, 0)))
        {
            using var second = new Image<Rgba32>(4, 4, new Rgba32(0, 0, 255));
            gif.Frames.AddFrame(second.Frames.RootFrame);
            gif.SaveAsGif(path);
        }
        using RgbImage img = ImageCodec.Read(path);
        Assert.Equal(1f, Pixels.At(img.Rgb, 0, 1, 1), 2);
        Assert.Equal(0f, Pixels.At(img.Rgb, 2, 1, 1), 2);
    }

    [Fact]
    public void HeaderLargerThanMaxPixels_Throws()
    {
        string path = _dir.File("small.png");
        using (var src = Pixels.RandomRgb24(16, 12, seed: 7))
            src.SaveAsPng(path);

        var e = Assert.Throws<ImageTooLargeException>(() => ImageCodec.Read(path, new ImageReadOptions { MaxPixels = 100 }));
        Assert.Equal((16, 12, 100), (e.Width, e.Height, e.MaxPixels));
        using RgbImage ok = ImageCodec.Read(path, new ImageReadOptions { MaxPixels = 16 * 12 });
        Assert.Equal(16, ok.Width);
    }

    [Fact]
    public void HugeClaimedSize_IsRejectedWithoutAllocating()
    {
        // A valid PNG whose IHDR claims 100000×100000 RGB (30 GB decoded) with a few bytes of data.
        string path = _dir.File("bomb.png");
        File.WriteAllBytes(path, CraftedImages.Png(100_000, 100_000));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<ImageTooLargeException>(() => ImageCodec.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(100_000, e.Width);
        Assert.Contains(path, e.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated:N0} bytes before rejecting");
    }

    [Fact]
    public void RandomBytes_AreInvalidImage()
    {
        string path = _dir.File("noise.png");
        var bytes = new byte[500];
        new Random(8).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidImageException>(() => ImageCodec.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Throws<InvalidImageException>(() => ImageCodec.Identify(path));
    }

    [Fact]
    public void EmptyFile_IsInvalidImage()
    {
        string path = _dir.File("empty.jpg");
        File.WriteAllBytes(path, []);
        Assert.Throws<InvalidImageException>(() => ImageCodec.Read(path));
    }

    [Fact]
    public void TruncatedPng_IsInvalidImage()
    {
        string full = _dir.File("full.png"), cut = _dir.File("cut.png");
        using (var src = Pixels.RandomRgb24(64, 64, seed: 9))
            src.SaveAsPng(full);
        byte[] bytes = File.ReadAllBytes(full);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidImageException>(() => ImageCodec.Read(cut));
        Assert.Contains(cut, e.Message);
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        string path = _dir.File("nope.png");
        var e = Assert.Throws<FileNotFoundException>(() => ImageCodec.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.FileName);
    }

    [Fact]
    public void Directory_IsInvalidImage()
    {
        string path = _dir.File("sub.png");
        Directory.CreateDirectory(path);
        var e = Assert.Throws<InvalidImageException>(() => ImageCodec.Read(path));
        Assert.Contains("is a directory", e.Message);
    }
}
