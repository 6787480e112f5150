using NeuralStyle.Core.Compute;

namespace NeuralStyle.Core.Tests.Compute;

public class CudaMemoryTests
{
    [Fact]
    public void Reads_every_visible_gpu_and_gives_null_past_them()
    {
        // On a GPU machine every device reads back with 0 < free <= total; here (CPU bundle, no CUDA
        // runtime) there are none, and the queries past the last device must give null, not throw.
        var gpus = TorchRuntime.CudaDeviceCount;
        for (var i = 0; i < gpus; i++)
        {
            var reading = CudaMemory.Of(i);
            Assert.NotNull(reading);
            Assert.InRange(reading.Value.FreeBytes, 1, reading.Value.TotalBytes);
        }
        Assert.Null(CudaMemory.Of(gpus));
        Assert.Null(CudaMemory.Of(-1));
    }
}
