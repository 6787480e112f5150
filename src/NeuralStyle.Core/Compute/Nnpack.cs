using System.Runtime.InteropServices;

namespace NeuralStyle.Core.Compute;

/// <summary>
/// Turns libtorch's NNPACK convolutions off (PyTorch's <c>torch.backends.nnpack.set_flags(False)</c>; TorchSharp
/// binds no such switch). libtorch asks NNPACK whether it can run before every CPU convolution, and where NNPACK
/// cannot start (a virtual machine that reports no cache sizes, a CPU without AVX2) it prints "Could not
/// initialize NNPACK! Reason: Unsupported hardware." on each one: hundreds of lines on stderr in a small job.
/// With the switch off that question is never asked. NNPACK only takes batches of 16 images or more, and this
/// engine convolves one image at a time, so no result changes. The switch is
/// <c>at::globalContext().setUserEnabledNNPACK(false)</c>, found by its C++ export name; where it is not found,
/// nothing is done.
/// </summary>
internal static class Nnpack
{
    private static int turnedOff;

    private delegate IntPtr GlobalContext();
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    private delegate byte IsEnabled(IntPtr context);

    /// <summary>Turns NNPACK off once per process; <paramref name="nativeDirectory"/> holds the libtorch already loaded.</summary>
    public static void TurnOff(string nativeDirectory)
    {
        if (Interlocked.Exchange(ref turnedOff, 1) == 1) return;
        if (Exports(nativeDirectory) is not { } torch) return;
        var context = torch.Context();
        torch.Set(context, false);
    }

    /// <summary>libtorch's own reading of the switch, or null when it cannot be read (for tests).</summary>
    public static bool? Enabled(string nativeDirectory) =>
        Exports(nativeDirectory) is { } torch ? torch.Get(torch.Context()) != 0 : null;

    private static (GlobalContext Context, SetEnabled Set, IsEnabled Get)? Exports(string nativeDirectory)
    {
        // Itanium names (Linux, macOS) and MSVC names (Windows), checked against libtorch 2.10's three CPU bundles.
        var (file, context, set, get) = OperatingSystem.IsWindows()
            ? ("torch_cpu.dll", "?globalContext@at@@YAAEAVContext@1@XZ", "?setUserEnabledNNPACK@Context@at@@QEAAX_N@Z",
                "?userEnabledNNPACK@Context@at@@QEBA_NXZ")
            : (OperatingSystem.IsMacOS() ? "libtorch_cpu.dylib" : "libtorch_cpu.so", "_ZN2at13globalContextEv",
                "_ZN2at7Context20setUserEnabledNNPACKEb", "_ZNK2at7Context17userEnabledNNPACKEv");
        if (!NativeLibrary.TryLoad(Path.Combine(nativeDirectory, file), out var library)
            || !NativeLibrary.TryGetExport(library, context, out var contextAddress)
            || !NativeLibrary.TryGetExport(library, set, out var setAddress)
            || !NativeLibrary.TryGetExport(library, get, out var getAddress))
        {
            return null;
        }
        return (Marshal.GetDelegateForFunctionPointer<GlobalContext>(contextAddress),
            Marshal.GetDelegateForFunctionPointer<SetEnabled>(setAddress),
            Marshal.GetDelegateForFunctionPointer<IsEnabled>(getAddress));
    }
}
