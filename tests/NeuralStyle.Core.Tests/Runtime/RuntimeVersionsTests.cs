using NeuralStyle.Core.Runtime;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Runtime;

/// <summary>The installer downloads natives for exactly the versions stamped into the engine; they must be the ones TorchSharp calls.</summary>
public sealed class RuntimeVersionsTests
{
    [Fact]
    public void The_stamped_libtorch_version_is_the_one_the_managed_TorchSharp_expects()
    {
        Assert.Equal(torch.__version__, RuntimeVersions.LibTorch + ".0");
        Assert.Equal(typeof(torch).Assembly.GetName().Version!.ToString(3), RuntimeVersions.TorchSharp);
        Assert.Equal("12.8", RuntimeVersions.Cuda);
    }

    [Fact]
    public void The_root_packages_are_TorchSharp_for_the_glue_and_libtorch_for_the_backend()
    {
        Assert.Equal(
            [new PackageIdentity("TorchSharp", "0.107.0"), new PackageIdentity("libtorch-cpu-osx-arm64", "2.10.0")],
            RuntimeInstaller.RootPackages(RuntimeBackend.Cpu, "osx-arm64"));
        Assert.Equal(new PackageIdentity("libtorch-cuda-12.8-win-x64", "2.10.0"), RuntimeInstaller.RootPackages(RuntimeBackend.Cuda, "win-x64")[1]);
        var e = Assert.Throws<RuntimeInstallException>(() => RuntimeInstaller.RootPackages(RuntimeBackend.Cuda, "osx-arm64"));
        Assert.Equal(RuntimeInstallFailure.UnsupportedPlatform, e.Failure);
    }
}
