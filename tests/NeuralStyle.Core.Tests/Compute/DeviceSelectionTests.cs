using NeuralStyle.Core.Compute;

namespace NeuralStyle.Core.Tests.Compute;

public class DeviceSelectionTests
{
    [Theory]
    [InlineData("Auto", DeviceKind.Auto, null)]
    [InlineData("cpu", DeviceKind.Cpu, null)]
    [InlineData(" CUDA ", DeviceKind.Cuda, null)]
    [InlineData("Cuda:0", DeviceKind.Cuda, 0)]
    [InlineData("cuda:12", DeviceKind.Cuda, 12)]
    public void Parses_the_documented_forms(string text, DeviceKind kind, int? index)
    {
        var device = ComputeDevice.Parse(text);
        Assert.Equal(kind, device.Kind);
        Assert.Equal(index, device.Index);
        Assert.Equal(device, ComputeDevice.Parse(device.ToString())); // ToString is what Parse reads back
    }

    [Theory]
    [InlineData("Gpu")]
    [InlineData("Cuda:")]
    [InlineData("Cuda:-1")]
    [InlineData("Cuda:1.5")]
    [InlineData("Cuda:one")]
    [InlineData("Cuda:99999999999")]
    [InlineData("Cpu:0")]
    [InlineData("Auto:1")]
    [InlineData("1")]
    [InlineData("")]
    public void Rejects_anything_else_naming_the_text(string text)
    {
        var error = Assert.Throws<InvalidSettingException>(() => ComputeDevice.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
        Assert.Equal((SettingError.InvalidDevice, text), (error.Error, error.Value));
    }

    [Fact]
    public void Names_print_as_the_user_writes_them()
    {
        Assert.Equal("Cuda:1", ComputeDevice.CudaAt(1).ToString());
        Assert.Equal("Cpu", ComputeDevice.Cpu.ToString());
        Assert.Equal(ComputeDevice.Cuda, ComputeDevice.Parse("cuda")); // value equality: records
    }

    [Theory]
    [InlineData("Auto", 0, "Cpu")]
    [InlineData("Auto", 2, "Cuda")]
    [InlineData("Cpu", 4, "Cpu")]
    [InlineData("Cuda", 1, "Cuda")]
    [InlineData("Cuda:3", 4, "Cuda:3")]
    public void Selects_a_device_that_exists(string requested, int gpus, string selected) =>
        Assert.Equal(selected, DeviceSelection.Select(ComputeDevice.Parse(requested), gpus).ToString());

    [Theory]
    [InlineData("Cuda", 0, "CUDA is not available")]
    [InlineData("Cuda:1", 0, "CUDA is not available")]
    [InlineData("Cuda:2", 2, "libtorch sees 2 CUDA devices (Cuda:0, Cuda:1)")]
    [InlineData("Cuda:1", 1, "libtorch sees 1 CUDA device (Cuda:0)")]
    public void Refuses_a_gpu_that_is_not_there_naming_the_request(string requested, int gpus, string reason)
    {
        var device = ComputeDevice.Parse(requested);
        var error = Assert.Throws<DeviceUnavailableException>(() => DeviceSelection.Select(device, gpus));
        Assert.Equal(device, error.Device);
        Assert.StartsWith($"{requested} was requested", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Completion_offers_only_usable_devices()
    {
        Assert.Equal(["Auto", "Cpu"], DeviceSelection.Choices(0).Select(d => d.ToString()));
        Assert.Equal(["Auto", "Cpu", "Cuda", "Cuda:0", "Cuda:1"], DeviceSelection.Choices(2).Select(d => d.ToString()));
    }

    [Fact]
    public void This_cpu_build_refuses_cuda_before_any_work()
    {
        Assert.Equal(0, TorchRuntime.CudaDeviceCount);
        Assert.Equal(TorchSharp.torch.CPU.type, TorchRuntime.Resolve(ComputeDevice.Auto).type);
        var error = Assert.Throws<DeviceUnavailableException>(() => TorchRuntime.Resolve(ComputeDevice.CudaAt(1)));
        Assert.Equal("Cuda:1", error.Device?.ToString());
    }
}
