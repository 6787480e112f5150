using System.Runtime.InteropServices;

namespace NeuralStyle.Core.Runtime;

/// <summary>The operating system and processor as NuGet's runtime identifiers name them, and how native libraries are named there.</summary>
public static class RuntimePlatform
{
    /// <summary>linux-x64, win-x64, osx-arm64, ...: the folder under runtimes/ that TorchSharp's packages use.</summary>
    public static string CurrentRid { get; } = Rid();

    /// <summary>The file names a native library called <paramref name="name"/> (as in a DllImport) may have here.</summary>
    public static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            yield return name + ".dll";
            yield break;
        }
        var extension = OperatingSystem.IsMacOS() ? ".dylib" : ".so";
        yield return name + extension;
        if (!name.StartsWith("lib", StringComparison.Ordinal))
        {
            yield return "lib" + name + extension;
        }
    }

    private static string Rid()
    {
        var arch = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => "x64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{arch}";
    }
}
