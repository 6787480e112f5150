using System.Runtime.InteropServices;

namespace NeuralStyle.Bench;

/// <summary>
/// glibc's malloc statistics (mallinfo2, glibc 2.33+): what the heap holds in use, what it holds
/// freed but not returned to the system, and what it mapped for large blocks. Distinguishes memory
/// that is retained (in use grows) from memory that is freed but held (free grows). Zero elsewhere.
/// </summary>
public static class NativeHeap
{
    public static long InUse => Info().InUse;
    public static long Free => Info().Free;
    public static long Mapped => Info().Mapped;

    private static (long InUse, long Free, long Mapped) Info()
    {
        if (!OperatingSystem.IsLinux()) return (0, 0, 0);
        try
        {
            var m = mallinfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks, (long)m.Hblkhd);
        }
        catch (EntryPointNotFoundException)
        {
            return (0, 0, 0);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc.so.6")]
    private static extern MallInfo2 mallinfo2();
}
