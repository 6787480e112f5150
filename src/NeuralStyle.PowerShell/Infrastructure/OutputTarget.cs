using NeuralStyle.Core.Imaging;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Where a synthesis cmdlet writes one result, and in which format, decided the same way for every
/// cmdlet: -OutPath's extension decides the format (-Format, if given, must agree with it);
/// otherwise the default name gets -Format's extension (PNG by default). <see cref="Check"/> finds
/// every problem that can be known before the work, so none is found after a long run.
/// </summary>
internal sealed record OutputTarget(string Path, ImageFileFormat Format)
{
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <param name="outPath">-OutPath, resolved; null for the default name in <paramref name="folder"/>.</param>
    /// <param name="format">-Format when given.</param>
    public static OutputTarget Resolve(string? outPath, string folder, string baseName, ImageFileFormat? format)
    {
        if (outPath is null)
        {
            var chosen = format ?? ImageFileFormat.Png;
            return new OutputTarget(System.IO.Path.Combine(folder, baseName + ImageFileFormats.Extension(chosen)), chosen);
        }
        ImageFileFormat fromName;
        try
        {
            fromName = ImageFileFormats.FromExtension(outPath);
        }
        catch (ArgumentException e)
        {
            throw new OutputTargetException(outPath, "UnsupportedOutputFormat", e.Message);
        }
        if (format is { } given && ImageFileFormats.Extension(given) != ImageFileFormats.Extension(fromName))
            throw new OutputTargetException(outPath, "OutputFormatMismatch",
                $"-Format {given} does not match the extension of '{outPath}'. Use a {ImageFileFormats.Extension(given)} name or leave -Format out.");
        return new OutputTarget(outPath, format ?? fromName);
    }

    /// <summary>Everything about the target that can be known before the work: no folder in its place, a folder it can go in, no file to overwrite without -Force.</summary>
    public void Check(bool force)
    {
        if (Directory.Exists(Path))
            throw new OutputTargetException(Path, "OutputIsDirectory", $"The output '{Path}' is an existing folder. Name a file, or use -OutputDirectory.");
        // The nearest folder that exists: the output goes there, or its missing folders are created there.
        var existing = Folder;
        for (; !string.IsNullOrEmpty(existing) && !Directory.Exists(existing); existing = System.IO.Path.GetDirectoryName(existing))
        {
            if (File.Exists(existing))
                throw new OutputTargetException(Path, "OutputDirectoryIsFile", $"The output folder '{existing}' is a file, not a folder.");
        }
        if (File.Exists(Path) && !force) throw new OutputExistsException(Path);
        if (!string.IsNullOrEmpty(existing)) ProbeWritable(existing);
    }

    /// <summary>Creates and at once deletes an empty file in <paramref name="folder"/>: the only sure test of write permission.</summary>
    private void ProbeWritable(string folder)
    {
        var probe = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.probe");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new OutputTargetException(Path, "OutputNotWritable", $"Cannot write '{Path}': {e.Message}", permission: true);
        }
    }
}

/// <summary>The output target cannot be written as asked; names the output, never a temporary file.</summary>
internal sealed class OutputTargetException(string path, string errorId, string message, bool permission = false) : IOException(message)
{
    public string Path { get; } = path;
    public string ErrorId { get; } = errorId;
    public bool Permission { get; } = permission;
}
