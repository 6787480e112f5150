namespace NeuralStyle.Core.Tests.Support;

/// <summary>
/// The images the tests read, found from the clone's root rather than from a fixed place, so the suite runs the same
/// in any clone (CI's, the workspace's, one in a temporary folder).
/// </summary>
internal static class RepositoryFiles
{
    /// <summary>The manifest at the clone's root: the first folder above the test assembly holding it is the root.</summary>
    private const string RootMarker = "NeuralStyle.psd1";

    /// <summary>The clone's root folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>examples/<paramref name="name"/>, the example images every clone has.</summary>
    public static string Example(string name)
    {
        var path = Path.Combine(Root, "examples", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"examples/{name} is not in the clone at '{Root}'.", path);
    }

    /// <summary>
    /// A real photo: the full-size original in shared/images beside the clone when there is one (the workspace keeps
    /// them there), else the 256 px copy with the same name in examples/; null when neither exists.
    /// </summary>
    public static string? Photo(string name)
    {
        var shared = Path.Combine(Path.GetDirectoryName(Root)!, "shared", "images", name);
        if (File.Exists(shared)) return shared;
        var example = Path.Combine(Root, "examples", name);
        return File.Exists(example) ? example : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, RootMarker))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No {RootMarker} above '{AppContext.BaseDirectory}': the tests run from a clone of the repository.");
    }
}
