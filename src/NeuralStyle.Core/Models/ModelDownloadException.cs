namespace NeuralStyle.Core.Models;

/// <summary>
/// A download failed before the file was complete (server unreachable, HTTP error, connection
/// dropped). What arrived is kept as a .partial file and the next attempt resumes from it.
/// </summary>
public sealed class ModelDownloadException(string message, Uri url, Exception? inner = null) : IOException(message, inner)
{
    public Uri Url { get; } = url;
}
