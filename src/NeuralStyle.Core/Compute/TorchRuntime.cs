using NeuralStyle.Core.Runtime;
using TorchSharp;

namespace NeuralStyle.Core.Compute;

/// <summary>Resolves the compute device and reports what the loaded libtorch can do.</summary>
public static class TorchRuntime
{
    /// <summary>True when the loaded libtorch bundle has CUDA and sees at least one GPU.</summary>
    public static bool CudaAvailable => NativeRuntime.Require() is not null && torch.cuda.is_available();

    // Any use of torch runs its static constructor, which loads the natives: check first.
    public static string LibTorchVersion => NativeRuntime.Require() is not null ? torch.__version__ : "";

    public static int CpuThreads => NativeRuntime.Require() is not null ? torch.get_num_threads() : 0;

    /// <summary>Turns a requested device into a concrete torch device, or says why it cannot.</summary>
    /// <exception cref="RuntimeNotInstalledException">No native runtime (checked first: every tensor starts here).</exception>
    public static torch.Device Resolve(ComputeDevice requested) => NativeRuntime.Require() is null ? torch.CPU : requested switch
    {
        ComputeDevice.Cpu => torch.CPU,
        ComputeDevice.Cuda when CudaAvailable => torch.CUDA,
        ComputeDevice.Cuda => throw new DeviceUnavailableException(
            "CUDA was requested but is not available: this build carries the CPU libtorch bundle or no NVIDIA GPU/driver is visible. " +
            "Use -Device Cpu, or build the module with the CUDA bundle (see README, 'GPU builds')."),
        _ => CudaAvailable ? torch.CUDA : torch.CPU,
    };

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
