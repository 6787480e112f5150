using System.Security.Cryptography;

namespace NeuralStyle.Core.Imaging;

/// <summary>
/// Writes a file so that readers only ever see the old content or the complete new content: the bytes go to a
/// hidden temp file in the same folder (same file system, so the final rename is atomic), are flushed to disk,
/// and only then renamed onto the target. A crash, an exception or Ctrl+C leaves no half-written output.
/// </summary>
public static class AtomicFile
{
    /// <param name="path">Destination. Its folder must exist: creating folders is the caller's decision.</param>
    /// <param name="writeContent">Writes the whole content to the given stream; do not dispose it.</param>
    /// <param name="overwrite">Replace an existing file; otherwise an existing target raises <see cref="OutputExistsException"/>.</param>
    /// <param name="ct">Checked before writing and again before the rename; cancellation raises <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="OutputNotWritableException">The folder cannot be written to (permissions, read-only file system).</exception>
    /// <exception cref="OutputWriteException">Writing failed (disk full, I/O error). Both name the output, not the temp file.</exception>
    public static void Write(string path, Action<Stream> writeContent, bool overwrite, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContent);

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' names a root, not a file.", nameof(path));
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{fullPath}': the folder '{folder}' does not exist.");
        if (Directory.Exists(fullPath))
            throw new IOException($"Cannot write '{fullPath}': it is a directory.");
        // Early check so we do not spend a whole encode on a write that must fail; the move below enforces it again.
        if (!overwrite && File.Exists(fullPath))
            throw new OutputExistsException(fullPath);
        ct.ThrowIfCancellationRequested();

        string name = Path.GetFileName(fullPath);
        if (name.Length > 200)
            name = name[..200]; // keep the temp name within the usual 255-character file-name limit
        string tempPath = Path.Combine(folder, $".{name}.{RandomSuffix()}.tmp");
        try
        {
            // CreateNew: never reuse (or follow a planted link to) an existing temp name.
            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
            {
                if (OperatingSystem.IsWindows())
                    File.SetAttributes(tempPath, File.GetAttributes(tempPath) | FileAttributes.Hidden); // the leading dot hides it elsewhere
                writeContent(stream);
                // Flush(true) reaches the disk, not only the OS cache: after a power loss the renamed file is complete.
                stream.Flush(flushToDisk: true);
            }
            ct.ThrowIfCancellationRequested();
            Commit(tempPath, fullPath, overwrite);
        }
        catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not OutputExistsException)
        {
            TryDelete(tempPath);
            // The user named the output, never the temp file: say which output failed and why, in their terms.
            throw NameOutput(e, tempPath, fullPath, folder);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    // errno values (Linux, macOS) and Win32 codes in HResult for the failures a user can act on.
    private const int Eacces = 13, Enospc = 28, Erofs = 30, Edquot = 122, EdquotMac = 69;
    private const int WinAccessDenied = unchecked((int)0x80070005), WinDiskFull = unchecked((int)0x80070070),
        WinHandleDiskFull = unchecked((int)0x80070027), WinWriteProtect = unchecked((int)0x80070013);

    private static IOException NameOutput(Exception e, string tempPath, string fullPath, string folder) => e switch
    {
        UnauthorizedAccessException or { HResult: Eacces or WinAccessDenied } =>
            new OutputNotWritableException(fullPath, $"permission denied in the folder '{folder}'.", e),
        { HResult: Erofs or WinWriteProtect } => new OutputNotWritableException(fullPath, $"the folder '{folder}' is on a read-only file system.", e),
        { HResult: Enospc or WinDiskFull or WinHandleDiskFull } => new OutputWriteException(fullPath, $"the disk is full (no space left in '{folder}'). Nothing was written.", e),
        { HResult: Edquot or EdquotMac } => new OutputWriteException(fullPath, "the disk quota is exceeded. Nothing was written.", e),
        _ => new OutputWriteException(fullPath, e.Message.Replace(tempPath, fullPath, StringComparison.Ordinal), e),
    };

    private static void Commit(string tempPath, string fullPath, bool overwrite)
    {
        if (overwrite)
        {
            File.Move(tempPath, fullPath, overwrite: true); // rename(2) / MoveFileEx: atomic replace
            return;
        }
        try
        {
            // Without overwrite, .NET fails if the target appeared meanwhile (link+unlink on Unix, MoveFileEx without
            // REPLACE_EXISTING on Windows), so a file created by someone else after our first check is not clobbered.
            File.Move(tempPath, fullPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(fullPath) || Directory.Exists(fullPath))
        {
            throw new OutputExistsException(fullPath);
        }
    }

    private static string RandomSuffix() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    private static void TryDelete(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // Best effort: the original exception matters more than a leftover hidden temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
