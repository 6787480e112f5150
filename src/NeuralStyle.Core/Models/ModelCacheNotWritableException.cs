namespace NeuralStyle.Core.Models;

/// <summary>The model cache folder cannot be created or written.</summary>
public sealed class ModelCacheNotWritableException(string directory, Exception inner)
    : IOException(
        $"The model cache folder '{directory}' is not writable ({inner.Message}). " +
        $"Set the environment variable {ModelCache.DirectoryVariable} to a folder you can write to, " +
        "or download the file yourself and pass its path with -ModelPath.", inner)
{
    public string Directory { get; } = directory;
}
