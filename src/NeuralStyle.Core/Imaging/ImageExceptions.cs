namespace NeuralStyle.Core.Imaging;

/// <summary>A file exists but is not an image we can decode (corrupt, truncated, unknown format).</summary>
public class InvalidImageException(string path, string message, Exception? inner = null) : IOException(message, inner)
{
    public string Path { get; } = path;
}

/// <summary>The image header claims more pixels than the decode limit allows; nothing was allocated.</summary>
public sealed class ImageTooLargeException(string path, long width, long height, long maxPixels)
    : InvalidImageException(path, $"'{path}' is {width}×{height} ({width * height:N0} pixels), more than the limit of {maxPixels:N0} pixels. Raise the limit only if you have the memory for it.")
{
    public long Width { get; } = width;
    public long Height { get; } = height;
    public long MaxPixels { get; } = maxPixels;
}

/// <summary>The output file exists and overwriting was not allowed.</summary>
public sealed class OutputExistsException(string path)
    : IOException($"'{path}' already exists. Use -Force to overwrite it.")
{
    public string Path { get; } = path;
}

/// <summary>
/// The file ends before its image data does (an interrupted copy or download). The decoder would fill the missing
/// part with black without a word, so it is refused; nothing was decoded.
/// </summary>
public sealed class TruncatedImageException(string path, string detail)
    : InvalidImageException(path, $"'{path}' is truncated or damaged: {detail}. Decoding it would fill the missing part with black; use a complete copy of the file.")
{
}

/// <summary>
/// The header claims more pixels than the file holds data for, even at the best compression its format allows:
/// a damaged or forged header. Refused before the decoder allocates the claimed size.
/// </summary>
public sealed class ImplausibleImageSizeException(string path, long width, long height, long fileBytes, long minimumBytes)
    : InvalidImageException(path, $"'{path}' claims {width}×{height} pixels but is only {fileBytes:N0} bytes long; an image of that size in its format needs at least {minimumBytes:N0} bytes. Its header is damaged or forged.")
{
    public long Width { get; } = width;
    public long Height { get; } = height;
}

/// <summary>Writing an output failed (disk full, I/O error); the temporary file was removed and an existing file kept.</summary>
public sealed class OutputWriteException(string path, string reason, Exception inner)
    : IOException($"Cannot write '{path}': {reason}", inner)
{
    public string Path { get; } = path;
}

/// <summary>The output's folder cannot be written to (permissions, read-only file system); nothing was written.</summary>
public sealed class OutputNotWritableException(string path, string reason, Exception inner)
    : IOException($"Cannot write '{path}': {reason}", inner)
{
    public string Path { get; } = path;
}
