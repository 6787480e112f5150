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
        // The package whose ResNet18.onnx a development build copies (build/BundledModels.targets) is the one runtimes bring.
        Assert.Equal("0.23.1", RuntimeVersions.ResNet18Featurizer);
    }

    [Fact]
    public void The_root_packages_are_TorchSharp_for_the_glue_libtorch_for_the_backend_and_the_model()
    {
        var model = new PackageIdentity("Microsoft.ML.DnnImageFeaturizer.ResNet18", "0.23.1");
        Assert.Equal(
            [new PackageIdentity("TorchSharp", "0.107.0"), new PackageIdentity("libtorch-cpu-osx-arm64", "2.10.0"), model],
            RuntimeInstaller.RootPackages(RuntimeBackend.Cpu, "osx-arm64"));
        Assert.Equal(
            [new PackageIdentity("TorchSharp", "0.107.0"), new PackageIdentity("libtorch-cuda-12.8-win-x64", "2.10.0"), model],
            RuntimeInstaller.RootPackages(RuntimeBackend.Cuda, "win-x64"));
        var e = Assert.Throws<RuntimeInstallException>(() => RuntimeInstaller.RootPackages(RuntimeBackend.Cuda, "osx-arm64"));
        Assert.Equal(RuntimeInstallFailure.UnsupportedPlatform, e.Failure);
    }
}
