using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Tests.Imaging;

/// <summary>
/// Writes onto a real, nearly full or read-only file system: the error names the output the caller asked for
/// (never the hidden temporary file), no partial file remains, and an existing file being replaced is kept.
/// </summary>
public sealed class FullDiskTests
{
    // Random pixels do not compress: a 256² PNG is about 197 KB, far more than the 64 KB file system holds.
    private static RgbImage Noise(int size)
    {
        var random = new Random(size);
        return Pixels.FromIntegers([.. Enumerable.Range(0, 3 * size * size).Select(_ => random.Next(256))], null, size, size, 255f);
    }

    [SkippableFact]
    public void OutputThatDoesNotFit_FailsNamingTheOutput_AndLeavesNothing()
    {
        using var fs = SmallFileSystem.Mount("64k");
        string output = fs.File("result.png");
        using RgbImage image = Noise(256);

        var e = Assert.Throws<OutputWriteException>(() => ImageCodec.Write(image, output, new ImageWriteOptions(ImageFileFormat.Png)));

        Assert.Equal(output, e.Path);
        Assert.StartsWith($"Cannot write '{output}': the disk is full", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Empty(fs.Entries());
    }

    [SkippableFact]
    public void CheckpointSizedReplaceThatDoesNotFit_KeepsTheExistingFile()
    {
        using var fs = SmallFileSystem.Mount("96k");
        // A checkpoint from an earlier step is there; the next one (overwrite, as checkpoints are) does not fit.
        string checkpoint = fs.File("result.checkpoint.png");
        using (RgbImage small = Noise(96))
            ImageCodec.Write(small, checkpoint, new ImageWriteOptions(ImageFileFormat.Png));
        byte[] earlier = File.ReadAllBytes(checkpoint);
        using RgbImage image = Noise(200);

        var e = Assert.Throws<OutputWriteException>(() =>
            ImageCodec.Write(image, checkpoint, new ImageWriteOptions(ImageFileFormat.Png) { Overwrite = true }));

        Assert.Equal(checkpoint, e.Path);
        Assert.Contains("disk is full", e.Message);
        Assert.Equal(["result.checkpoint.png"], fs.Entries());
        Assert.Equal(earlier, File.ReadAllBytes(checkpoint));
    }

    [SkippableFact]
    public void ReadOnlyFolder_IsNotWritable_NamingTheOutput()
    {
        using var fs = SmallFileSystem.Mount("64k", readOnly: true);
        string output = fs.File("result.jpg");
        using RgbImage image = Noise(16);

        var e = Assert.Throws<OutputNotWritableException>(() => ImageCodec.Write(image, output, new ImageWriteOptions(ImageFileFormat.Jpeg)));

        Assert.Equal(output, e.Path);
        Assert.StartsWith($"Cannot write '{output}': ", e.Message);
        Assert.Contains("read-only", e.Message);
        Assert.Empty(fs.Entries());
    }
}
