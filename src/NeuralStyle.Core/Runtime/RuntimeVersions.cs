using System.Reflection;

namespace NeuralStyle.Core.Runtime;

/// <summary>
/// The versions this build of the engine was compiled against (Directory.Build.props, stamped into the
/// assembly), so a downloaded runtime always matches the managed TorchSharp that will call it.
/// </summary>
public static class RuntimeVersions
{
    public static string TorchSharp { get; } = Metadata("TorchSharpVersion");

    public static string LibTorch { get; } = Metadata("LibTorchVersion");

    /// <summary>The CUDA version of TorchSharp's CUDA libtorch packages (e.g. 12.8 in libtorch-cuda-12.8-win-x64).</summary>
    public static string Cuda { get; } = Metadata("LibTorchCudaVersion");

    /// <summary>The version of Microsoft.ML.DnnImageFeaturizer.ResNet18, the package whose ResNet18.onnx the module uses.</summary>
    public static string ResNet18Featurizer { get; } = Metadata("ResNet18FeaturizerVersion");

    private static string Metadata(string key) =>
        typeof(RuntimeVersions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The engine assembly lacks its {key} stamp (see NeuralStyle.Core.csproj).");
}
