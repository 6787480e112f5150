using System.Globalization;
using NeuralStyle.Core.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Compute;

[Collection(ProcessMemoryCollection.Name)]
public sealed class HugePagesTests(ITestOutputHelper output)
{
    /// <summary>
    /// Once the engine is loaded, a large tensor lies in transparent huge pages: libtorch was told to align
    /// it to 2 MiB and advise the kernel so (without that, with the kernel's usual "madvise" policy, none).
    /// </summary>
    [SkippableFact]
    public void A_large_tensor_is_backed_by_huge_pages()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "transparent huge pages are Linux's");
        var policy = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
        Skip.If(policy.Contains("[never]", StringComparison.Ordinal), "this kernel has transparent huge pages off");
        var before = AnonHugePages();
        using var large = ones(16 << 20); // 64 MiB, written
        var after = AnonHugePages();
        output.WriteLine($"kernel policy {policy.Trim()}; huge pages {before >> 20} -> {after >> 20} MiB");
        Assert.True(after - before >= 32 << 20, $"a 64 MiB tensor added {(after - before) >> 20} MiB of huge pages");
    }

    private static long AnonHugePages()
    {
        foreach (var line in File.ReadLines("/proc/self/smaps_rollup"))
            if (line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                return long.Parse(line["AnonHugePages:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("no AnonHugePages in /proc/self/smaps_rollup");
    }
}
