namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// An input image failed its checks. Wraps the specific failure (missing, undecodable, too large,
/// too small), whose type decides the error id, and names the image's role and path.
/// </summary>
public sealed class InputImageException(ImageRole role, string path, Exception inner)
    : IOException($"{role} image: {inner.Message}", inner)
{
    public ImageRole Role { get; } = role;
    public string Path { get; } = path;
}
