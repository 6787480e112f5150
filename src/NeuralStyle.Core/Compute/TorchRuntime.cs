using NeuralStyle.Core.Runtime;
using TorchSharp;

namespace NeuralStyle.Core.Compute;

/// <summary>Resolves the compute device and reports what the loaded libtorch can do.</summary>
public static class TorchRuntime
{
    // Every member checks for a native runtime first: the first use of torch runs its static constructor,
    // which loads the natives and, without any, fails with a long trace instead of our RuntimeNotInstalled.

    /// <summary>True when the loaded libtorch bundle has CUDA and sees at least one GPU.</summary>
    public static bool CudaAvailable => Native(() => torch.cuda.is_available());

    public static string LibTorchVersion => Native(() => torch.__version__);

    public static int CpuThreads => Native(torch.get_num_threads);

    /// <summary>Turns a requested device into a concrete torch device, or says why it cannot.</summary>
    /// <exception cref="RuntimeNotInstalledException">No native runtime is installed (every tensor starts here).</exception>
    public static torch.Device Resolve(ComputeDevice requested) => Native(() => ResolveLoaded(requested));

    private static torch.Device ResolveLoaded(ComputeDevice requested) => requested switch
    {
        ComputeDevice.Cpu => torch.CPU,
        ComputeDevice.Cuda when CudaAvailable => torch.CUDA,
        ComputeDevice.Cuda => throw new DeviceUnavailableException(
            "CUDA was requested but is not available: the runtime in use is the CPU libtorch, or no NVIDIA GPU/driver is visible. " +
            "Use -Device Cpu, or run 'Install-StyleRuntime -Backend Cuda' and start a new PowerShell session."),
        _ => CudaAvailable ? torch.CUDA : torch.CPU,
    };

    private static T Native<T>(Func<T> use)
    {
        NativeRuntime.Require();
        return use();
    }

    /// <summary>Runs a tiny tensor computation on the device and returns its result; proves the native stack works.</summary>
    public static float SelfTest(ComputeDevice requested)
    {
        var device = Resolve(requested);
        using var scope = torch.NewDisposeScope();
        var a = torch.arange(1, 5, dtype: torch.float32, device: device).reshape(2, 2);
        return a.matmul(a).sum().cpu().item<float>();
    }
}

/// <summary>The requested compute device cannot be used on this machine.</summary>
public class DeviceUnavailableException(string message) : InvalidOperationException(message);
