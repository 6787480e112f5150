namespace NeuralStyle.Core.Imaging;

/// <summary>Maps between output formats and file extensions, so callers can derive a format from the path a user typed.</summary>
public static class ImageFileFormats
{
    public const string SupportedExtensions = ".png, .jpg, .jpeg, .tif, .tiff";

    /// <summary>The format for a path's extension (case-insensitive). 8-bit PNG for .png: 16-bit is an explicit choice.</summary>
    public static ImageFileFormat FromExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string ext = Path.GetExtension(path);
        return ext.ToLowerInvariant() switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            ".tif" or ".tiff" => ImageFileFormat.Tiff,
            _ => throw new ArgumentException(
                $"Cannot tell the output format from '{path}': the extension '{ext}' is not supported. Use one of {SupportedExtensions}.",
                nameof(path)),
        };
    }

    /// <summary>The canonical extension (with dot) for a format.</summary>
    public static string Extension(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png or ImageFileFormat.Png16 => ".png",
        ImageFileFormat.Jpeg => ".jpg",
        ImageFileFormat.Tiff => ".tif",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
    };
}
