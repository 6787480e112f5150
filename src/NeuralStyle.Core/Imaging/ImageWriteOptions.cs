namespace NeuralStyle.Core.Imaging;

/// <summary>How <see cref="ImageCodec.Write"/> encodes a file.</summary>
public sealed record ImageWriteOptions
{
    public const int DefaultJpegQuality = 92;

    private readonly int _jpegQuality = DefaultJpegQuality;

    public ImageWriteOptions() { }

    public ImageWriteOptions(ImageFileFormat format) => Format = format;

    public ImageFileFormat Format { get; init; } = ImageFileFormat.Png;

    /// <summary>1..100. 92 keeps the fine texture style transfer produces without the size of 100.</summary>
    public int JpegQuality
    {
        get => _jpegQuality;
        init => _jpegQuality = value is >= 1 and <= 100 ? value : throw new ArgumentOutOfRangeException(nameof(JpegQuality), value, "JpegQuality must be between 1 and 100.");
    }

    /// <summary>Replace an existing file. Off by default: a finished run must never silently destroy a file.</summary>
    public bool Overwrite { get; init; }
}
