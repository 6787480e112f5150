using System.Management.Automation;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// What every NeuralStyle cmdlet shares: -Path/-LiteralPath resolution against the current
/// provider location, Ctrl+C as a CancellationToken, and output-folder handling.
/// </summary>
public abstract class NeuralStyleCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing); the engine stops within one step.</summary>
    protected CancellationToken CancelToken => _stop.Token;

    protected override void StopProcessing() => _stop.Cancel();

    /// <summary>
    /// Resolves wildcards (when <paramref name="literal"/> is false) to file-system paths. A pattern that
    /// matches nothing or a missing literal path is reported as a non-terminating error, so a batch goes on.
    /// </summary>
    protected IEnumerable<string> ResolveFiles(IEnumerable<string> paths, bool literal)
    {
        foreach (var path in paths)
        {
            List<string> resolved;
            try
            {
                if (literal)
                {
                    var full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                    if (!File.Exists(full) && !Directory.Exists(full))
                        throw new ItemNotFoundException($"Cannot find path '{full}' because it does not exist.");
                    resolved = [full];
                }
                else
                {
                    resolved = [.. GetResolvedProviderPathFromPSPath(path, out var provider)];
                    if (provider.Name != "FileSystem") throw NotFileSystemPath(path);
                }
            }
            catch (Exception e) when (e is ItemNotFoundException or ArgumentException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException)
            {
                WriteError(e is ArgumentException
                    ? ErrorRecords.From(e as InvalidParameterException ?? NotFileSystemPath(path), path)
                    : ErrorRecords.From(e as ItemNotFoundException ?? new ItemNotFoundException(e.Message), path));
                continue;
            }

            foreach (var file in resolved)
            {
                if (Directory.Exists(file))
                {
                    WriteError(ErrorRecords.PathIsDirectory(file));
                    continue;
                }
                yield return file;
            }
        }
    }

    /// <summary>
    /// Wildcards expanded, except that a file whose name is exactly <paramref name="pattern"/> wins over
    /// the wildcard reading of its brackets: 'my photo [1].jpg' never silently means 'my photo 1.jpg'.
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing matches; names the pattern.</exception>
    protected IReadOnlyList<string> ResolveExactOrWildcard(string pattern, string what)
    {
        var exact = ResolveOutputPath(pattern);
        if (File.Exists(exact)) return [exact];
        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(pattern, out _);
            return resolved.Count > 0 ? resolved : throw new FileNotFoundException($"No {what} matches '{pattern}'.", pattern);
        }
        catch (ItemNotFoundException e)
        {
            throw new FileNotFoundException($"{char.ToUpperInvariant(what[0])}{what[1..]}: {e.Message}", pattern, e);
        }
    }

    /// <summary>A file-system path relative to $PWD (not the process directory), for outputs that may not exist yet.</summary>
    /// <exception cref="InvalidParameterException"><paramref name="path"/> is on another provider (env:, function:): NotFileSystemPath.</exception>
    protected string ResolveOutputPath(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        return provider.Name == "FileSystem" ? resolved : throw NotFileSystemPath(path);
    }

    private static InvalidParameterException NotFileSystemPath(string path) => new("NotFileSystemPath", $"'{path}' is not a file-system path.", path);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>PowerShell disposes a cmdlet when its pipeline ends: release engine resources here.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _stop.Dispose();
    }
}
