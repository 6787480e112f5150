namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// The three files of one run's checkpoint: the image to watch (<see cref="Image"/>, &lt;output&gt;.checkpoint.png),
/// its sidecar (<see cref="Sidecar"/>: which run wrote it and where it stopped) and the exact pixels
/// (<see cref="Pixels"/>). A new run takes the first of &lt;output&gt;.checkpoint.png, .checkpoint.1.png, … whose
/// three names are all free, so a checkpoint never replaces or deletes a file the run did not create; an
/// earlier run's checkpoint is recognised by its sidecar alone, never by a look-alike name.
/// </summary>
public sealed record CheckpointFiles(string Image)
{
    public string Sidecar => Image + ".json";
    public string Pixels => Image + ".f32";
    public IReadOnlyList<string> All => [Image, Sidecar, Pixels];

    /// <summary>The first checkpoint name for <paramref name="output"/> none of whose files exists.</summary>
    public static CheckpointFiles FreeFor(string output)
    {
        var stem = Stem(output);
        var files = new CheckpointFiles(stem + ".png");
        for (var n = 1; files.All.Any(p => File.Exists(p) || Directory.Exists(p)); n++) files = new CheckpointFiles($"{stem}.{n}.png");
        return files;
    }

    /// <summary>Checkpoints of <paramref name="output"/> that have a sidecar (whoever wrote it), the most recently written first.</summary>
    public static IReadOnlyList<CheckpointFiles> WithSidecarFor(string output)
    {
        var stem = Stem(output);
        var folder = Path.GetDirectoryName(stem)!;
        if (!Directory.Exists(folder)) return [];
        var name = Path.GetFileName(stem);
        return [.. Directory.EnumerateFiles(folder, "*.png.json")
            .Where(p => IsCheckpointName(Path.GetFileName(p)[..^".json".Length], name))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .Select(p => new CheckpointFiles(p[..^".json".Length]))];
    }

    /// <summary>Removes the files (those that exist): only for a checkpoint the run itself wrote or resumed.</summary>
    public void Delete()
    {
        foreach (var path in All) File.Delete(path);
    }

    private static string Stem(string output)
    {
        var full = Path.GetFullPath(output);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".checkpoint");
    }

    // "<stem>.png" or "<stem>.<digits>.png".
    private static bool IsCheckpointName(string fileName, string stem)
    {
        if (!fileName.StartsWith(stem, StringComparison.Ordinal) || !fileName.EndsWith(".png", StringComparison.Ordinal)) return false;
        var middle = fileName[stem.Length..^".png".Length];
        return middle.Length == 0 || (middle.Length > 1 && middle[0] == '.' && middle[1..].All(char.IsAsciiDigit));
    }
}
