using TorchSharp;

namespace NeuralStyle.Core.Compute;

/// <summary>Resolves the compute device and reports what the loaded libtorch can do.</summary>
public static class TorchRuntime
{
    /// <summary>True when the loaded libtorch bundle has CUDA and sees at least one GPU.</summary>
    public static bool CudaAvailable => torch.cuda.is_available();

    /// <summary>GPUs the loaded libtorch sees (0 with the CPU bundle).</summary>
    public static int CudaDeviceCount => CudaAvailable ? torch.cuda.device_count() : 0;

    public static string LibTorchVersion => torch.__version__;

    /// <summary>libtorch's intra-op threads for the calling thread (OpenMP keeps the setting per thread).</summary>
    public static int CpuThreads => torch.get_num_threads();

    /// <summary>Turns a requested device into a concrete torch device, or says why it cannot (see <see cref="DeviceSelection"/>).</summary>
    public static torch.Device Resolve(ComputeDevice requested) => DeviceSelection.Select(requested, CudaDeviceCount) switch
    {
        { Kind: DeviceKind.Cpu } => torch.CPU,
        { Index: int index } => new torch.Device(DeviceType.CUDA, index),
        _ => torch.CUDA,
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
public sealed class DeviceUnavailableException(ComputeDevice device, string message) : InvalidOperationException(message)
{
    /// <summary>The device as the user asked for it (the error's target).</summary>
    public ComputeDevice Device { get; } = device;
}
