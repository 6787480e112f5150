using NeuralStyle.Core.Runtime;

namespace NeuralStyle.Core.Tests.Runtime;

/// <summary>The weak-version edit on the real libLibTorchSharp.so of TorchSharp 0.107.0 (from the NuGet cache).</summary>
public sealed class LibStdCxxCompatibilityTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static string PackagedGlue()
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, "torchsharp", RuntimeVersions.TorchSharp, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    /// <summary>The flags of the file's Vernaux entry named <paramref name="version"/>, as readelf prints them ("none", "WEAK").</summary>
    private static string VersionFlags(string path, string version)
    {
        using var readelf = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("readelf", ["-V", path]) { RedirectStandardOutput = true })!;
        var line = readelf.StandardOutput.ReadToEnd().Split('\n').Single(l => l.Contains($"Name: {version}"));
        readelf.WaitForExit();
        return line[(line.IndexOf("Flags: ", StringComparison.Ordinal) + 7)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    [Fact]
    public void Marks_only_the_GLIBCXX_3_4_32_requirement_weak_and_is_idempotent()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var copy = Path.Combine(temp.Path, "libLibTorchSharp.so");
        File.Copy(PackagedGlue(), copy);
        Assert.Equal("none", VersionFlags(copy, "GLIBCXX_3.4.32"));
        Assert.True(LibStdCxxCompatibility.MarkVersionNeedWeak(copy));
        Assert.Equal("WEAK", VersionFlags(copy, "GLIBCXX_3.4.32"));
        Assert.Equal("none", VersionFlags(copy, "GLIBCXX_3.4.18"));
        var once = File.ReadAllBytes(copy);
        Assert.True(LibStdCxxCompatibility.MarkVersionNeedWeak(copy));
        Assert.Equal(once, File.ReadAllBytes(copy));
        Assert.False(LibStdCxxCompatibility.MarkVersionNeedWeak(copy, "GLIBCXX_9.9.9"));
    }

    [Fact]
    public void Refuses_a_file_that_is_not_ELF64()
    {
        var path = Path.Combine(temp.Path, "not-elf.so");
        File.WriteAllBytes(path, new byte[128]);
        Assert.Throws<InvalidDataException>(() => LibStdCxxCompatibility.MarkVersionNeedWeak(path));
    }
}
