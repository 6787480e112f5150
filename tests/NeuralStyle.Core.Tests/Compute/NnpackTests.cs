using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Runtime;

namespace NeuralStyle.Core.Tests.Compute;

public sealed class NnpackTests
{
    /// <summary>
    /// Once the engine has resolved a device, libtorch's own switch reads off, so no convolution asks NNPACK
    /// whether it can run (where it cannot, each asking printed a warning on stderr).
    /// </summary>
    [Fact]
    public void Libtorch_reads_NNPACK_off_once_a_device_is_resolved()
    {
        TorchRuntime.Resolve(ComputeDevice.Cpu);
        var enabled = Nnpack.Enabled(NativeRuntime.Require());
        Assert.NotNull(enabled); // the export names were found in this bundle
        Assert.False(enabled);
    }
}
