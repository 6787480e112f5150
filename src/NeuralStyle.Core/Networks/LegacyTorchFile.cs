using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>The pre-1.6 <c>torch.save</c> format (a sequence of pickles followed by raw storages).</summary>
internal static class LegacyTorchFile
{
    public static Dictionary<string, Tensor> Read(string path) =>
        throw new StateDictFormatException(
            $"'{path}' was saved in the legacy PyTorch format (before PyTorch 1.6), which this version cannot read yet. " +
            "Re-save it with torch.save(torch.load(path), new_path), or save it as safetensors.");
}
