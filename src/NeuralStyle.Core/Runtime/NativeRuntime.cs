namespace NeuralStyle.Core.Runtime;

/// <summary>
/// Finds the folder whose native libraries (LibTorchSharp, libtorch) the engine loads: beside
/// TorchSharp.dll in a development build, else an installed runtime. One rule, used by the module's
/// load context and by the check before the first tensor.
/// </summary>
public static class NativeRuntime
{
    /// <summary>The TorchSharp glue library's file name on this platform: every runtime has it.</summary>
    public static string GlueFileName { get; } =
        OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";

    private static string? located;

    /// <summary>
    /// The folder, or null when no runtime is there. Once found it stays (natives cannot be unloaded); while
    /// none is found it is looked for again, so Install-StyleRuntime works without a new session.
    /// </summary>
    public static string? Directory => located ??= Locate();

    /// <summary>The installed runtime in use, or null for natives beside the assembly (or none).</summary>
    public static InstalledRuntime? Installed =>
        Directory is { } d ? RuntimeLocations.FindInstalled().FirstOrDefault(r => PathsEqual(r.Directory, d)) : null;

    /// <summary>Throws <see cref="RuntimeNotInstalledException"/> when there is nothing to load.</summary>
    public static string Require() => Directory ?? throw new RuntimeNotInstalledException(
        $"No libtorch runtime is installed for NeuralStyle (TorchSharp {RuntimeVersions.TorchSharp}, {RuntimePlatform.CurrentRid}). " +
        "Run 'Install-StyleRuntime -Backend Cpu' (or '-Backend Cuda' on a machine with an NVIDIA GPU) once, then run this command again. " +
        $"Runtimes are looked for in '{RuntimeLocations.RootOf(RuntimeScope.CurrentUser)}' and '{RuntimeLocations.RootOf(RuntimeScope.AllUsers)}'.");

    private static string? Locate()
    {
        var beside = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(beside))
        {
            foreach (var candidate in new[] { beside, Path.Combine(beside, "runtimes", RuntimePlatform.CurrentRid, "native") })
            {
                if (File.Exists(Path.Combine(candidate, GlueFileName)))
                {
                    return candidate;
                }
            }
        }
        return RuntimeLocations.FindInstalled().FirstOrDefault(r => File.Exists(Path.Combine(r.Directory, GlueFileName)))?.Directory;
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a).TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(b).TrimEnd(Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

/// <summary>No native libtorch runtime is available: the module was installed without one and Install-StyleRuntime has not run.</summary>
public sealed class RuntimeNotInstalledException(string message) : Compute.DeviceUnavailableException(message);
