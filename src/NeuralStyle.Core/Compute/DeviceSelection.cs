namespace NeuralStyle.Core.Compute;

/// <summary>
/// The one place that decides which device a request gets, from how many GPUs the loaded libtorch sees
/// (a number, so the rule is testable on a machine without one).
/// </summary>
public static class DeviceSelection
{
    /// <summary>The concrete device for <paramref name="requested"/>: Cpu, Cuda (libtorch's current GPU) or Cuda:N.</summary>
    /// <param name="cudaDevices">GPUs visible to libtorch; 0 with the CPU bundle or without a driver.</param>
    /// <exception cref="DeviceUnavailableException">CUDA asked for where there is none, or an index past the last GPU.</exception>
    public static ComputeDevice Select(ComputeDevice requested, int cudaDevices)
    {
        ArgumentNullException.ThrowIfNull(requested);
        return requested.Kind switch
        {
            DeviceKind.Cpu => ComputeDevice.Cpu,
            DeviceKind.Auto => cudaDevices > 0 ? ComputeDevice.Cuda : ComputeDevice.Cpu,
            _ when cudaDevices == 0 => throw new DeviceUnavailableException(requested,
                $"{requested} was requested but CUDA is not available: the runtime in use is the CPU libtorch, or no NVIDIA GPU/driver is visible. " +
                "Use -Device Cpu, or run 'Install-StyleRuntime -Backend Cuda' and start a new PowerShell session."),
            _ when requested.Index >= cudaDevices => throw new DeviceUnavailableException(requested,
                $"{requested} was requested but libtorch sees {cudaDevices} CUDA device{(cudaDevices == 1 ? "" : "s")} " +
                $"({string.Join(", ", CudaNames(cudaDevices))}). Get-StyleDevice lists them."),
            _ => requested,
        };
    }

    /// <summary>What -Device completes to here: Auto, Cpu, then Cuda and Cuda:0…Cuda:N-1 when there are GPUs.</summary>
    public static IReadOnlyList<ComputeDevice> Choices(int cudaDevices) =>
        [ComputeDevice.Auto, ComputeDevice.Cpu, .. cudaDevices > 0 ? CudaNames(cudaDevices).Prepend(ComputeDevice.Cuda) : []];

    private static IEnumerable<ComputeDevice> CudaNames(int count) => Enumerable.Range(0, count).Select(ComputeDevice.CudaAt);
}
