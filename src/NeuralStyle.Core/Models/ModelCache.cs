using System.Globalization;

namespace NeuralStyle.Core.Models;

/// <summary>
/// The per-user folder that holds downloaded models, and the record of which files were verified.
/// A verified file has a sidecar <c>&lt;file&gt;.sha256</c> with its hash, size and modification
/// time, so the 548 MB hash is computed once, not on every load.
/// </summary>
public sealed class ModelCache
{
    /// <summary>Overrides the cache folder.</summary>
    public const string DirectoryVariable = "NEURALSTYLE_MODEL_CACHE";

    public const string PartialSuffix = ".partial";
    public const string SidecarSuffix = ".sha256";

    public ModelCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    /// <summary>The cache of the current user: ${NEURALSTYLE_MODEL_CACHE}, else the platform's per-user cache.</summary>
    public static ModelCache FromEnvironment() => new(DefaultDirectory());

    /// <summary>
    /// ${NEURALSTYLE_MODEL_CACHE} when set; on Windows %LOCALAPPDATA%\NeuralStyle\models; elsewhere
    /// $XDG_CACHE_HOME/neuralstyle/models or ~/.cache/neuralstyle/models.
    /// </summary>
    public static string DefaultDirectory()
    {
        var overridden = Environment.GetEnvironmentVariable(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return Path.GetFullPath(overridden);
        }
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "NeuralStyle", "models");
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cacheRoot = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheRoot, "neuralstyle", "models");
    }

    public string PathOf(ModelCatalogEntry entry) => Path.Combine(Directory, entry.FileName);

    public string PartialPathOf(ModelCatalogEntry entry) => PathOf(entry) + PartialSuffix;

    public string SidecarPathOf(ModelCatalogEntry entry) => PathOf(entry) + SidecarSuffix;

    /// <summary>True when the file is there and its sidecar says it was verified as it is now (no hashing).</summary>
    public bool IsVerified(ModelCatalogEntry entry)
    {
        var path = PathOf(entry);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return false;
        }
        var recorded = ReadSidecar(SidecarPathOf(entry));
        return recorded is { } r && r.Size == file.Length && r.LastWriteUtcTicks == file.LastWriteTimeUtc.Ticks && entry.HashMatches(r.Sha256);
    }

    /// <summary>
    /// Makes sure the cached file is intact: trusts a current sidecar, else hashes the file once and
    /// records the result. Returns the file's path.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model is not in the cache.</exception>
    /// <exception cref="ModelIntegrityException">The file's SHA-256 is not the expected one.</exception>
    public string Verify(ModelCatalogEntry entry, CancellationToken cancellationToken = default)
    {
        var path = PathOf(entry);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model '{entry.Name}' is not in the cache '{Directory}'.", path);
        }
        if (IsVerified(entry))
        {
            return path;
        }
        var actual = Sha256File.Compute(path, cancellationToken);
        if (!entry.HashMatches(actual))
        {
            throw new ModelIntegrityException(
                $"The cached model file '{path}' is corrupt or not the expected file: its SHA-256 is {actual}, expected {entry.DescribeExpectedHash()}. " +
                $"Delete it, or run 'Save-StyleModel {entry.Name} -Force' to download it again.", path);
        }
        RecordVerified(entry, actual);
        return path;
    }

    /// <summary>Writes the sidecar for the file as it is now. Best effort: a read-only cache only costs a re-hash later.</summary>
    internal void RecordVerified(ModelCatalogEntry entry, string sha256)
    {
        var file = new FileInfo(PathOf(entry));
        var line = string.Create(CultureInfo.InvariantCulture, $"{sha256} {file.Length} {file.LastWriteTimeUtc.Ticks}\n");
        try
        {
            File.WriteAllText(SidecarPathOf(entry), line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static (string Sha256, long Size, long LastWriteUtcTicks)? ReadSidecar(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }
            var parts = File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[0].Length == 64
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
            {
                return (parts[0], size, ticks);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
