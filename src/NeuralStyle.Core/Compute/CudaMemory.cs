using System.Runtime.InteropServices;
using NeuralStyle.Core.Runtime;

namespace NeuralStyle.Core.Compute;

/// <summary>
/// A GPU's memory as the CUDA runtime reports it (<c>cudaMemGetInfo</c>). TorchSharp 0.107 binds no memory
/// query, but libtorch's CUDA bundle ships the CUDA runtime library beside itself, so it is loaded from the
/// native runtime folder (else from the system's search path). Where there is none (the CPU bundle) every
/// reading is null: listing devices must never fail because memory cannot be read.
/// </summary>
public static class CudaMemory
{
    /// <summary>Total and currently free bytes of one GPU.</summary>
    public readonly record struct Reading(long TotalBytes, long FreeBytes);

    private delegate int GetDeviceFunction(out int device);
    private delegate int SetDeviceFunction(int device);
    private delegate int MemGetInfoFunction(out nuint free, out nuint total);

    private static readonly Lazy<IntPtr> Library = new(LoadCudaRuntime);

    /// <summary>The memory of CUDA device <paramref name="index"/>, or null when the CUDA runtime is absent or the query fails.</summary>
    public static Reading? Of(int index)
    {
        if (index < 0 || Library.Value == IntPtr.Zero
            || !NativeLibrary.TryGetExport(Library.Value, "cudaGetDevice", out var getDevice)
            || !NativeLibrary.TryGetExport(Library.Value, "cudaSetDevice", out var setDevice)
            || !NativeLibrary.TryGetExport(Library.Value, "cudaMemGetInfo", out var memGetInfo))
        {
            return null;
        }
        var get = Marshal.GetDelegateForFunctionPointer<GetDeviceFunction>(getDevice);
        var set = Marshal.GetDelegateForFunctionPointer<SetDeviceFunction>(setDevice);
        var query = Marshal.GetDelegateForFunctionPointer<MemGetInfoFunction>(memGetInfo);
        // The current device is per thread: restore it so the caller's later CUDA work is not moved.
        if (get(out var previous) != 0 || set(index) != 0)
        {
            return null;
        }
        try
        {
            return query(out var free, out var total) == 0 ? new Reading(checked((long)total), checked((long)free)) : null;
        }
        finally
        {
            set(previous);
        }
    }

    private static IntPtr LoadCudaRuntime()
    {
        foreach (var candidate in Candidates())
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    // The runtime folder's own copy first (its version matches libtorch's), then the names a CUDA toolkit installs.
    private static IEnumerable<string> Candidates()
    {
        var pattern = OperatingSystem.IsWindows() ? "cudart64_*.dll" : "libcudart*.so*";
        if (NativeRuntime.Directory is { } folder && System.IO.Directory.Exists(folder))
        {
            foreach (var file in System.IO.Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal))
            {
                yield return file;
            }
        }
        var names = OperatingSystem.IsWindows()
            ? new[] { "cudart64_12.dll", "cudart64_110.dll" }
            : new[] { "libcudart.so.12", "libcudart.so.11.0", "libcudart.so" };
        foreach (var name in names)
        {
            yield return name;
        }
    }
}
