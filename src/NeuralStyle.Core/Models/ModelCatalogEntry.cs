namespace NeuralStyle.Core.Models;

/// <summary>One known model: what it is, where it comes from and how to check it.</summary>
/// <param name="Name">Short name users type, e.g. "vgg19".</param>
/// <param name="Description">One line for listings.</param>
/// <param name="Source">Bundled with the module or downloaded into the cache.</param>
/// <param name="FileName">File name in the bundled folder or the cache.</param>
public sealed record ModelCatalogEntry(string Name, string Description, ModelSource Source, string FileName)
{
    /// <summary>Where a download entry is fetched from.</summary>
    public Uri? DownloadUrl { get; init; }

    /// <summary>
    /// The expected SHA-256 as lowercase hex: the full 64 digits, or a prefix of at least 8 (the
    /// digits torchvision puts in its file names and checks in <c>check_hash</c>).
    /// </summary>
    public string? ExpectedSha256 { get; init; }

    /// <summary>Size for listings before the file is here (bytes, approximate).</summary>
    public long? ApproximateSize { get; init; }

    /// <summary>True when <paramref name="actualSha256"/> (64 hex digits) is the hash this entry expects.</summary>
    public bool HashMatches(string actualSha256)
    {
        ArgumentNullException.ThrowIfNull(actualSha256);
        if (string.IsNullOrEmpty(ExpectedSha256))
        {
            return true;
        }
        return actualSha256.StartsWith(ExpectedSha256, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"the full SHA-256 …" or "a SHA-256 starting with …", for messages.</summary>
    public string DescribeExpectedHash() =>
        ExpectedSha256 is null ? "no particular hash"
        : ExpectedSha256.Length >= 64 ? $"SHA-256 {ExpectedSha256}"
        : $"a SHA-256 starting with {ExpectedSha256}";
}
