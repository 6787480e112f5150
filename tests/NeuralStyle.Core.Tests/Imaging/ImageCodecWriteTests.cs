using NeuralStyle.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Imaging;

public sealed class ImageCodecWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static int[] RandomInts(int count, int max, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.Next(max + 1)).ToArray();
    }

    [Fact]
    public void Png8_RoundTrip_IsExact()
    {
        const int w = 7, h = 5;
        int[] rgb = RandomInts(3 * w * h, 255, 10);
        rgb[0] = 0; rgb[1] = 255; rgb[2] = 128; // the ends and a midpoint
        using RgbImage img = Pixels.FromIntegers(rgb, null, w, h, 255f);
        string path = _dir.File("out.png");
        ImageCodec.Write(img, path, new ImageWriteOptions(ImageFileFormat.Png));

        using (var written = Image.Load<Rgb24>(path))
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    Assert.Equal(new Rgb24((byte)rgb[i], (byte)rgb[w * h + i], (byte)rgb[2 * w * h + i]), written[x, y]);
                }
        Assert.False(ImageCodec.Identify(path).HasAlpha);

        using RgbImage back = ImageCodec.Read(path);
        Assert.Equal(Pixels.Values(img.Rgb), Pixels.Values(back.Rgb));
    }

    [Fact]
    public void Png16_RoundTrip_IsExact()
    {
        const int w = 7, h = 5;
        int[] rgb = RandomInts(3 * w * h, 65535, 11);
        rgb[0] = 0; rgb[1] = 65535; rgb[2] = 257; rgb[3] = 1;
        using RgbImage img = Pixels.FromIntegers(rgb, null, w, h, 65535f, bitDepth: 16);
        string path = _dir.File("out16.png");
        ImageCodec.Write(img, path, new ImageWriteOptions(ImageFileFormat.Png16));

        Assert.Equal(16, ImageCodec.Identify(path).BitsPerChannel);
        using (var written = Image.Load<Rgba64>(path))
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int i = y * w + x;
                    Rgba64 p = written[x, y];
                    Assert.Equal((rgb[i], rgb[w * h + i], rgb[2 * w * h + i]), ((int)p.R, (int)p.G, (int)p.B));
                }

        using RgbImage back = ImageCodec.Read(path);
        Assert.Equal(16, back.SourceBitDepth);
        float[] v = Pixels.Values(back.Rgb);
        Assert.Equal(rgb, v.Select(f => (int)MathF.Round(f * 65535f)).ToArray());
        Assert.Equal(Pixels.Values(img.Rgb), v);
    }

    [Fact]
    public void Png16_WithAlpha_RoundTrip_IsExact()
    {
        const int w = 4, h = 3;
        int[] rgb = RandomInts(3 * w * h, 65535, 12), alpha = RandomInts(w * h, 65535, 13);
        using RgbImage img = Pixels.FromIntegers(rgb, alpha, w, h, 65535f, bitDepth: 16);
        string path = _dir.File("out16a.png");
        ImageCodec.Write(img, path, new ImageWriteOptions(ImageFileFormat.Png16));
        using RgbImage back = ImageCodec.Read(path);
        Assert.Equal(Pixels.Values(img.Alpha!), Pixels.Values(back.Alpha!));
        Assert.Equal(Pixels.Values(img.Rgb), Pixels.Values(back.Rgb));
    }

    [Fact]
    public void Alpha_IsWrittenBackToPng()
    {
        const ImageFileFormat format = ImageFileFormat.Png;
        const int w = 7, h = 5;
        int[] rgb = RandomInts(3 * w * h, 255, 14), alpha = RandomInts(w * h, 255, 15);
        using RgbImage img = Pixels.FromIntegers(rgb, alpha, w, h, 255f);
        string path = _dir.File("alpha" + ImageFileFormats.Extension(format));
        ImageCodec.Write(img, path, new ImageWriteOptions(format));

        using (var written = Image.Load<Rgba32>(path))
            Assert.Equal(new Rgba32((byte)rgb[0], (byte)rgb[w * h], (byte)rgb[2 * w * h], (byte)alpha[0]), written[0, 0]);
        using RgbImage back = ImageCodec.Read(path);
        Assert.NotNull(back.Alpha);
        Assert.Equal(Pixels.Values(img.Alpha!), Pixels.Values(back.Alpha!));
        Assert.Equal(Pixels.Values(img.Rgb), Pixels.Values(back.Rgb));
    }

    [Fact]
    public void Tiff_RoundTrip_IsExact_AlphaDropped()
    {
        // ImageSharp 4.1's TIFF encoder writes RGB only; colour must still round-trip exactly.
        const int w = 6, h = 4;
        using RgbImage img = Pixels.FromIntegers(RandomInts(3 * w * h, 255, 16), RandomInts(w * h, 255, 21), w, h, 255f);
        string path = _dir.File("out.tif");
        ImageCodec.Write(img, path, new ImageWriteOptions(ImageFileFormat.Tiff));
        using RgbImage back = ImageCodec.Read(path);
        Assert.Null(back.Alpha);
        Assert.Equal(Pixels.Values(img.Rgb), Pixels.Values(back.Rgb));
    }

    [Fact]
    public void Jpeg_QualityMatters_AndAlphaIsDropped()
    {
        const int w = 64, h = 48;
        // A smooth gradient plus fine noise: JPEG quality shows in both size and error.
        var rng = new Random(17);
        int[] rgb = new int[3 * w * h];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    rgb[c * w * h + y * w + x] = Math.Clamp((x * 3 + y * 2 + c * 40) % 256 + rng.Next(-20, 21), 0, 255);
        int[] alpha = Enumerable.Repeat(128, w * h).ToArray();
        using RgbImage img = Pixels.FromIntegers(rgb, alpha, w, h, 255f);

        string low = _dir.File("q20.jpg"), high = _dir.File("q98.jpg");
        ImageCodec.Write(img, low, new ImageWriteOptions(ImageFileFormat.Jpeg) { JpegQuality = 20 });
        ImageCodec.Write(img, high, new ImageWriteOptions(ImageFileFormat.Jpeg) { JpegQuality = 98 });
        Assert.True(new FileInfo(high).Length > new FileInfo(low).Length);

        using RgbImage lowBack = ImageCodec.Read(low), highBack = ImageCodec.Read(high);
        Assert.Null(highBack.Alpha);
        float Err(RgbImage b) => (b.Rgb - img.Rgb).abs().mean().item<float>();
        Assert.True(Err(highBack) < Err(lowBack), $"q98 error {Err(highBack)} vs q20 {Err(lowBack)}");
        Assert.True(Err(highBack) < 0.03f, $"q98 error {Err(highBack)}");
    }

    [Fact]
    public void OutOfRangeAndNaN_AreClamped()
    {
        var rgb = torch.tensor(new[] { -0.5f, 1.5f, float.NaN, 1e-9f, 0.9999999f, 0.5f }, [1, 3, 1, 2]);
        using var img = new RgbImage(rgb);
        string path = _dir.File("clamp.png");
        ImageCodec.Write(img, path, new ImageWriteOptions());
        using var written = Image.Load<Rgb24>(path);
        Assert.Equal(new Rgb24(0, 0, 255), written[0, 0]);
        Assert.Equal(new Rgb24(255, 0, 128), written[1, 0]); // 0.5*255 = 127.5 rounds half up
    }

    [Fact]
    public void NonContiguousAndDoubleTensors_AreWritten()
    {
        // A transposed (non-contiguous) float64 view: Write must not assume layout or dtype.
        var hw = torch.arange(0, 12, dtype: torch.float64).reshape(1, 3, 2, 2) / 255.0;
        var t = hw.transpose(2, 3);
        using var img = new RgbImage(t);
        string path = _dir.File("view.png");
        ImageCodec.Write(img, path, new ImageWriteOptions());
        using var written = Image.Load<Rgb24>(path);
        Assert.Equal(new Rgb24(1, 5, 9), written[0, 1]); // (x=0,y=1) of the transpose is (row 0, col 1) of the original
    }

    [Fact]
    public void ExistingTarget_WithoutOverwrite_Throws_AndKeepsContent()
    {
        string path = _dir.File("exists.png");
        File.WriteAllText(path, "keep me");
        using RgbImage img = Pixels.FromIntegers(RandomInts(3 * 4, 255, 18), null, 2, 2, 255f);
        Assert.Throws<OutputExistsException>(() => ImageCodec.Write(img, path, new ImageWriteOptions()));
        Assert.Equal("keep me", File.ReadAllText(path));

        ImageCodec.Write(img, path, new ImageWriteOptions { Overwrite = true });
        Assert.Equal(2, ImageCodec.Identify(path).Width);
        Assert.Equal(["exists.png"], _dir.Entries());
    }

    [Fact]
    public void MissingFolder_IsDirectoryNotFound_AndNotCreated()
    {
        string folder = _dir.File("missing");
        using RgbImage img = Pixels.FromIntegers(RandomInts(3 * 4, 255, 19), null, 2, 2, 255f);
        Assert.Throws<DirectoryNotFoundException>(() => ImageCodec.Write(img, Path.Combine(folder, "x.png"), new ImageWriteOptions()));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Cancelled_WritesNothing()
    {
        string path = _dir.File("cancel.png");
        using RgbImage img = Pixels.FromIntegers(RandomInts(3 * 4, 255, 20), null, 2, 2, 255f);
        Assert.ThrowsAny<OperationCanceledException>(() => ImageCodec.Write(img, path, new ImageWriteOptions(), new CancellationToken(true)));
        Assert.Empty(_dir.Entries());
    }
}
