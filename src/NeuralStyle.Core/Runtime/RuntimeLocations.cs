namespace NeuralStyle.Core.Runtime;

/// <summary>
/// Where runtimes are installed: one folder per TorchSharp version, backend and platform, under a
/// per-user root beside the model cache or a machine-wide root.
/// </summary>
public static class RuntimeLocations
{
    /// <summary>Overrides the per-user root (tests, portable set-ups).</summary>
    public const string RootVariable = "NEURALSTYLE_RUNTIME_ROOT";

    /// <summary>The folder inside a runtime (and inside a development build's Dependencies/) that holds the ResNet-18 model.</summary>
    public const string ModelFolder = "models";

    /// <summary>The ResNet-18 model's file name, in a runtime and in a development build.</summary>
    public const string ModelFileName = Networks.ModelFiles.ResNet18FileName;

    /// <summary>
    /// CurrentUser: ${NEURALSTYLE_RUNTIME_ROOT}, else runtime/ beside the model cache's folder
    /// (%LOCALAPPDATA%\NeuralStyle\runtime on Windows, ~/.cache/neuralstyle/runtime or
    /// $XDG_CACHE_HOME/neuralstyle/runtime elsewhere; beside ${NEURALSTYLE_MODEL_CACHE} when that is set).
    /// AllUsers: %ProgramData%\NeuralStyle\runtime, /usr/local/lib/neuralstyle/runtime.
    /// </summary>
    public static string RootOf(RuntimeScope scope)
    {
        if (scope == RuntimeScope.AllUsers)
        {
            return OperatingSystem.IsWindows()
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "NeuralStyle", "runtime")
                : "/usr/local/lib/neuralstyle/runtime";
        }
        var overridden = Environment.GetEnvironmentVariable(RootVariable);
        return !string.IsNullOrWhiteSpace(overridden)
            ? Path.GetFullPath(overridden)
            : Path.Combine(Path.GetDirectoryName(Models.ModelCache.DefaultDirectory())!, "runtime");
    }

    /// <summary>The folder of one runtime: &lt;root&gt;/&lt;TorchSharp version&gt;/&lt;backend&gt;-&lt;rid&gt;.</summary>
    public static string DirectoryOf(RuntimeScope scope, RuntimeBackend backend, string rid) =>
        Path.Combine(RootOf(scope), RuntimeVersions.TorchSharp, $"{backend.ToString().ToLowerInvariant()}-{rid}");

    /// <summary>The models/ folders of the installed runtimes, in <see cref="FindInstalled"/>'s order (where an installed module finds its ResNet-18).</summary>
    public static IReadOnlyList<string> ModelDirectories() =>
        [.. FindInstalled().Where(r => r.IsComplete).Select(r => Path.GetDirectoryName(r.ModelPath)!)];

    /// <summary>Every runtime installed for this TorchSharp version and platform, the current user's first, CUDA before CPU.</summary>
    public static IReadOnlyList<InstalledRuntime> FindInstalled()
    {
        var found = new List<InstalledRuntime>();
        foreach (var scope in new[] { RuntimeScope.CurrentUser, RuntimeScope.AllUsers })
        {
            foreach (var backend in new[] { RuntimeBackend.Cuda, RuntimeBackend.Cpu })
            {
                if (InstalledRuntime.TryRead(DirectoryOf(scope, backend, RuntimePlatform.CurrentRid), scope) is { } runtime)
                {
                    found.Add(runtime);
                }
            }
        }
        return found;
    }
}
