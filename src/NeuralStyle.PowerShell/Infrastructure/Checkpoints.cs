namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Where a run writes its checkpoints: &lt;output&gt;.checkpoint.png beside the output, or, when a
/// file of that name exists (a source, an earlier run's checkpoint), the first free
/// &lt;output&gt;.checkpoint.N.png. A checkpoint never replaces or deletes a file the run did not create.
/// </summary>
internal static class Checkpoints
{
    public static string FreePath(string output)
    {
        var stem = Path.Combine(Path.GetDirectoryName(output)!, Path.GetFileNameWithoutExtension(output) + ".checkpoint");
        var path = stem + ".png";
        for (var n = 1; File.Exists(path) || Directory.Exists(path); n++) path = $"{stem}.{n}.png";
        return path;
    }
}
