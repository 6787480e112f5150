using System.Runtime.InteropServices;

namespace NeuralStyle.Core.Compute;

/// <summary>
/// glibc's malloc heap, where libtorch's CPU tensors live: its statistics (mallinfo2, glibc 2.33+) —
/// in use, freed but not returned to the system, mapped for large blocks — and a way to return the
/// freed part (malloc_trim). Zero and no-op elsewhere (other C libraries, Windows, macOS).
/// </summary>
public static class NativeHeap
{
    private static readonly bool Glibc = OperatingSystem.IsLinux() && HasGlibc();

    public static long InUse => Info().InUse;
    public static long Free => Info().Free;
    public static long Mapped => Info().Mapped;

    /// <summary>
    /// Returns the heap's free pages to the system (malloc_trim(0): every arena, holes inside included).
    /// glibc keeps a freed block's pages resident for reuse, so after one stage the blocks of that
    /// stage's sizes stay in the resident size while the next stage allocates its own larger ones.
    /// </summary>
    public static void Trim()
    {
        Interlocked.Exchange(ref lastTrimTicks, Environment.TickCount64);
        if (!Glibc) return;
        try { malloc_trim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }

    /// <summary>
    /// <see cref="Trim"/>, unless this process trimmed less than <paramref name="interval"/> ago. Called after
    /// every optimisation step: a step frees blocks of many sizes, glibc keeps their pages and cannot always
    /// reuse the holes, so the resident size and its peak grow step after step while what is live stays flat
    /// (512² texture: +230 MiB of peak over 40 steps). A trim costs the page faults of touching the
    /// returned pages again, about a fifth of a 512² step, so it runs by time, not by step: a fixed share of
    /// the work at every size (bench/README.md, "Memory against steps").
    /// </summary>
    public static void TrimAtMostEvery(TimeSpan interval)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastTrimTicks);
        if (now - last < interval.TotalMilliseconds) return;
        // One caller trims when runs in several threads are due together.
        if (Interlocked.CompareExchange(ref lastTrimTicks, now, last) != last) return;
        Trim();
    }

    private static long lastTrimTicks = Environment.TickCount64;

    private static (long InUse, long Free, long Mapped) Info()
    {
        if (!Glibc) return (0, 0, 0);
        try
        {
            var m = mallinfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks, (long)m.Hblkhd);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return (0, 0, 0);
        }
    }

    private static bool HasGlibc()
    {
        try { return gnu_get_libc_version() != 0; }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6")]
    private static extern MallInfo2 mallinfo2();

    [DllImport("libc.so.6")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc.so.6")]
    private static extern nint gnu_get_libc_version();
}
