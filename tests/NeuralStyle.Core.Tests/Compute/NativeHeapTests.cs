using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Compute;

[Collection(ProcessMemoryCollection.Name)]
public sealed class NativeHeapTests(ITestOutputHelper output)
{
    /// <summary>
    /// Holes left in glibc's heap by freed tensors stay resident until a trim returns them; the throttled
    /// trim the optimisation steps call does nothing within its interval and returns them after it.
    /// </summary>
    [SkippableFact]
    public void A_throttled_trim_returns_freed_holes_only_once_its_interval_has_passed()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the resident size is read from /proc/self/status, the heap is glibc's");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        NativeHeap.Trim(); // restarts the interval
        // 64 KiB blocks, below any mmap threshold, so they come from the heap; one kept in every eight pins the
        // 448 KiB holes between them, so glibc's own trimming of the heap's top cannot return them.
        var blocks = Enumerable.Range(0, 4096).Select(_ => ones(16384)).ToList();
        var kept = blocks.Where((_, i) => i % 8 == 7).ToList();
        foreach (var block in blocks.Where((_, i) => i % 8 != 7)) block.Dispose();
        try
        {
            var holes = ProcessStatus.Bytes("VmRSS");
            NativeHeap.TrimAtMostEvery(TimeSpan.FromHours(1));
            var throttled = ProcessStatus.Bytes("VmRSS");
            NativeHeap.TrimAtMostEvery(TimeSpan.Zero);
            var trimmed = ProcessStatus.Bytes("VmRSS");
            output.WriteLine($"resident with holes {holes >> 20} MiB, after the throttled call {throttled >> 20} MiB, after the due one {trimmed >> 20} MiB");
            Assert.True(holes - throttled < 32 << 20, "a trim within its interval ran");
            Assert.True(throttled - trimmed > 96 << 20, "the due trim returned less than 96 MiB of the 224 MiB of holes");
        }
        finally
        {
            foreach (var block in kept) block.Dispose();
        }
    }
}
