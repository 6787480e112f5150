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
