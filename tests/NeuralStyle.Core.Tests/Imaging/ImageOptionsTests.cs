using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Tests.Imaging;

public sealed class ImageOptionsTests
{
    [Theory]
    [InlineData("a.png", ImageFileFormat.Png)]
    [InlineData("dir.x/A.PNG", ImageFileFormat.Png)]
    [InlineData("a.jpg", ImageFileFormat.Jpeg)]
    [InlineData("a.JPEG", ImageFileFormat.Jpeg)]
    [InlineData("a.tif", ImageFileFormat.Tiff)]
    [InlineData("a.tiff", ImageFileFormat.Tiff)]
    public void FromExtension_Maps(string path, ImageFileFormat expected) =>
        Assert.Equal(expected, ImageFileFormats.FromExtension(path));

    [Theory]
    [InlineData("a.webp")]
    [InlineData("a")]
    [InlineData("a.png.bak")]
    public void FromExtension_Unsupported_NamesSupported(string path)
    {
        var e = Assert.Throws<ArgumentException>(() => ImageFileFormats.FromExtension(path));
        Assert.Contains(".png", e.Message);
        Assert.Contains(".jpg", e.Message);
        Assert.Contains(".tif", e.Message);
    }

    [Theory]
    [InlineData(ImageFileFormat.Png, ".png")]
    [InlineData(ImageFileFormat.Png16, ".png")]
    [InlineData(ImageFileFormat.Jpeg, ".jpg")]
    [InlineData(ImageFileFormat.Tiff, ".tif")]
    public void Extension_Maps(ImageFileFormat format, string ext) => Assert.Equal(ext, ImageFileFormats.Extension(format));

    [Fact]
    public void WriteOptions_Defaults_AndValidation()
    {
        var o = new ImageWriteOptions();
        Assert.Equal((ImageFileFormat.Png, 92, false), (o.Format, o.JpegQuality, o.Overwrite));
        Assert.Equal(100, (o with { JpegQuality = 100 }).JpegQuality);
        Assert.Throws<ArgumentOutOfRangeException>(() => o with { JpegQuality = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageWriteOptions { JpegQuality = 101 });
    }

    [Fact]
    public void ReadOptions_Default_Is16kSquared()
    {
        Assert.Equal(16384L * 16384, ImageReadOptions.Default.MaxPixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageReadOptions { MaxPixels = 0 });
    }
}
