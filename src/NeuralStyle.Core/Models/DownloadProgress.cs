namespace NeuralStyle.Core.Models;

/// <summary>How far a download is.</summary>
/// <param name="BytesReceived">Bytes in the file so far (including a resumed part).</param>
/// <param name="TotalBytes">The full size when the server said it.</param>
/// <param name="BytesPerSecond">Average speed of this transfer.</param>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes, double BytesPerSecond)
{
    /// <summary>0–100, or -1 when the total is unknown.</summary>
    public int PercentComplete => TotalBytes is > 0 and var total ? (int)Math.Min(100, 100 * BytesReceived / total) : -1;

    /// <summary>Seconds left at the current speed, or -1 when unknown.</summary>
    public int SecondsRemaining => TotalBytes is long total && BytesPerSecond > 0
        ? (int)Math.Ceiling((total - BytesReceived) / BytesPerSecond)
        : -1;
}
