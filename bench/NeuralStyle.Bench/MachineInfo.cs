using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;

namespace NeuralStyle.Bench;

/// <summary>What the numbers were measured on.</summary>
public sealed record MachineInfo(
    string Date,
    string Cpu,
    int LogicalCores,
    long MemoryBytes,
    string Os,
    string DotNet,
    string TorchSharp,
    string LibTorch,
    int EngineThreads,
    string PythonTorch,
    int ReferenceDefaultThreads,
    string ReferenceParallelBackend,
    string LoadAverageAtStart,
    string? CudaDevice)
{
    public static MachineInfo Collect(ReferenceInfo reference, string? cudaDevice) => new(
        DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        CpuModel(),
        Environment.ProcessorCount,
        MemoryTotal(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?",
        torch.__version__,
        torch.get_num_threads(),
        reference.Torch,
        reference.DefaultThreads,
        reference.ParallelBackend,
        LoadAverage(),
        cudaDevice);

    /// <summary>1, 5 and 15 minute load averages: a busy machine makes every timing here meaningless.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string CpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return RuntimeInformation.ProcessArchitecture.ToString();
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        var model = line?.Split(':', 2)[1].Trim() ?? "?";
        // The vector extensions matter more than the name for fp32 throughput (and virtual machines often hide the name).
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        var simd = new[] { "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile" }.Where(flags.Contains).ToArray();
        return simd.Length == 0 ? model : $"{model} ({string.Join(", ", simd)})";
    }

    private static long MemoryTotal()
    {
        if (!File.Exists("/proc/meminfo")) return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}

/// <summary>What bench/reference.py reports about its torch ('info' command).</summary>
public sealed record ReferenceInfo(string Torch, string Onnx, string Numpy, string Python, int DefaultThreads, bool CudaAvailable,
    string? CudaDevice, string ParallelBackend);
