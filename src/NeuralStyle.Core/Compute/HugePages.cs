using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralStyle.Core.Compute;

/// <summary>
/// Asks libtorch to back CPU tensors of 2 MiB and more with transparent huge pages (Linux). glibc maps
/// every block over 32 MiB afresh and the kernel faults it in 4 KiB at a time: at 2048² that was a quarter
/// of the process's CPU time in page faults, and huge pages fault 2 MiB at once (bench/README.md, "Page
/// faults at print sizes"). libtorch reads THP_MEM_ALLOC_ENABLE once, at its first allocation, so it is set
/// when this assembly loads, before any tensor; a value the user set (0 turns it off) is left as it is.
/// </summary>
internal static class HugePages
{
    public const string Variable = "THP_MEM_ALLOC_ENABLE";

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "must run before the first tensor of any caller, tests and bench included")]
    internal static void EnableForLargeTensors()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(Variable) is not null) return;
        try
        {
            // The native environment, where libtorch looks (.NET's own copy is not it); overwrite 0 keeps a native value.
            setenv(Variable, "1", 0);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
        }
    }

    [DllImport("libc.so.6", CharSet = CharSet.Ansi, BestFitMapping = false)]
    private static extern int setenv(string name, string value, int overwrite);
}
