using System.Diagnostics;

namespace NeuralStyle.Core.Tests.Imaging;

/// <summary>
/// A real tmpfs of a few KB (mount -t tmpfs -o size=…), to fill a disk for real; unmounted on dispose. Needs root
/// (CI runs as root); where mounting is impossible the test is skipped, saying why.
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private SmallFileSystem(string path) => Path = path;

    public string Path { get; }

    public static SmallFileSystem Mount(string sizeOption, bool readOnly = false)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "mounting a tmpfs needs Linux");
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "neuralstyle-fs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        string options = $"size={sizeOption}" + (readOnly ? ",ro" : "");
        (int code, string error) = Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            Skip.If(true, $"cannot mount a tmpfs here (mount exit {code}: {error.Trim()}); run the tests as root to check a full disk");
        }
        return new SmallFileSystem(path);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>All entries, hidden dot-files included.</summary>
    public string[] Entries() => [.. Directory.GetFileSystemEntries(Path).Select(System.IO.Path.GetFileName).OrderBy(n => n).Cast<string>()];

    public void Dispose()
    {
        Run("umount", Path);
        try { Directory.Delete(Path); }
        catch (IOException) { }
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in args) info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit(30_000);
            return (process.HasExited ? process.ExitCode : -1, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
