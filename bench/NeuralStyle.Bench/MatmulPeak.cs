using System.Diagnostics;
using NeuralStyle.Core.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>
/// The machine's practical fp32 peak: the best of a few large square matmuls (the most efficient
/// dense kernel libtorch has). Achieved convolution GFLOP/s are reported as a fraction of it.
/// </summary>
public static class MatmulPeak
{
    public static int Run(string deviceName, int threads, string resultPath)
    {
        torch.set_num_threads(threads);
        var device = deviceName == "cuda" ? TorchRuntime.Resolve(ComputeDevice.Cuda) : torch.CPU;
        var n = device.type == DeviceType.CUDA ? 4096 : 2048;
        using var a = randn(n, n, device: device);
        using var b = randn(n, n, device: device);
        var best = double.MaxValue;
        for (var i = 0; i < 8; i++)
        {
            if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
            var clock = Stopwatch.StartNew();
            using (var c = a.mm(b))
            {
                if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
        }
        var result = new PeakResult("neuralstyle", deviceName, n, best, 2.0 * n * n * n / best / 1e9, torch.get_num_threads());
        Json.Write(resultPath, result);
        Console.WriteLine($"  engine:    matmul {n}x{n} on {deviceName}: {result.Gflops:F1} GFLOP/s");
        return 0;
    }
}
