using System.Globalization;
using System.Runtime.InteropServices;
using NeuralStyle.Core.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Support;

/// <summary>This process's resident memory from /proc/self/status (Linux).</summary>
internal static class ProcessStatus
{
    /// <summary>A size line of /proc/self/status (VmRSS, VmHWM, …) in bytes.</summary>
    public static long Bytes(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException($"no {key} in /proc/self/status");
    }

    /// <summary>Resets VmHWM (the resident peak) to the current RSS.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>
    /// The most bytes <paramref name="action"/> needed at once beyond what was resident before it (glibc only).
    /// Blocks of 64 KiB and more are mapped and unmapped for the duration, so a freed block is returned
    /// at once and the resident peak is the peak of what was live, not of where glibc's heap put it; afterwards
    /// large blocks come from the heap again up to 32 MiB (the ceiling glibc's own threshold grows to).
    /// </summary>
    public static long PeakOf(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        mallopt(MmapThreshold, 64 << 10);
        try
        {
            NativeHeap.Trim();
            var before = Bytes("VmRSS");
            ResetPeak();
            action();
            return Bytes("VmHWM") - before;
        }
        finally
        {
            mallopt(MmapThreshold, 32 << 20);
        }
    }

    /// <summary>
    /// The peak bytes per pixel of a step on a square float32 image: the slope of <see cref="PeakOf"/> between
    /// 512² and 1024², so that allocations of a fixed size (the runtime's, other threads') do not count.
    /// <paramref name="stepOn"/> gets a random image that requires grad and returns the step; the step runs once
    /// before it is measured (the gradient's own buffer and libtorch's first-use allocations).
    /// </summary>
    /// <returns>The slope, and the whole peaks at 512² and 1024².</returns>
    public static (double PerPixel, long At512, long At1024) PeakPerPixel(Func<Tensor, Action> stepOn, ulong seed)
    {
        long Peak(int size)
        {
            using var images = NewDisposeScope();
            var step = stepOn(rand([1, 3, size, size], generator: new Generator(seed)).requires_grad_(true));
            step();
            return PeakOf(step);
        }

        var (small, large) = (Peak(512), Peak(1024));
        return ((double)(large - small) / (1024 * 1024 - 512 * 512), small, large);
    }

    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    [DllImport("libc.so.6")]
    private static extern int mallopt(int parameter, int value);
}
