namespace NeuralStyle.Core.Models;

/// <summary>A model file's SHA-256 is not the expected one (corrupt, truncated or a different file).</summary>
public sealed class ModelIntegrityException(string message, string path) : IOException(message)
{
    /// <summary>The file that failed the check (already deleted when it was a fresh download).</summary>
    public string Path { get; } = path;
}
