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

    /// <summary>GPUs the loaded libtorch sees (0 with the CPU bundle).</summary>
    public static int CudaDeviceCount => CudaAvailable ? Native(torch.cuda.device_count) : 0;

    public static string LibTorchVersion => Native(() => torch.__version__);

    /// <summary>libtorch's intra-op threads for the calling thread (OpenMP keeps the setting per thread).</summary>
    public static int CpuThreads => Native(torch.get_num_threads);

    /// <summary>Turns a requested device into a concrete torch device, or says why it cannot (see <see cref="DeviceSelection"/>).</summary>
    /// <exception cref="RuntimeNotInstalledException">No native runtime is installed (every tensor starts here).</exception>
    public static torch.Device Resolve(ComputeDevice requested) => Native(() => DeviceSelection.Select(requested, CudaDeviceCount) switch
    {
        { Kind: DeviceKind.Cpu } => torch.CPU,
        { Index: int index } => new torch.Device(DeviceType.CUDA, index),
        _ => torch.CUDA,
    });

    private static T Native<T>(Func<T> use)
    {
        var directory = NativeRuntime.Require();
        var result = use(); // the first use loads libtorch
        Nnpack.TurnOff(directory);
        return result;
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
public class DeviceUnavailableException : InvalidOperationException
{
    public DeviceUnavailableException(string message) : base(message)
    {
    }

    public DeviceUnavailableException(ComputeDevice device, string message) : base(message) => Device = device;

    /// <summary>The device as the user asked for it (the error's target); null when no device was named (no runtime at all).</summary>
    public ComputeDevice? Device { get; }
}
