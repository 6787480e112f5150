using System.Collections;
using NeuralStyle.Core.Networks;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>
/// A reduced VGG19 state dict: torchvision's key layout with few channels, random weights from a
/// fixed seed, plus a classifier key that the network must ignore. Files are tens of KB.
/// </summary>
internal static class Vgg19Fixture
{
    /// <summary>Output channels per convolution (blocks of 2, 2, 4, 4, 4).</summary>
    public static readonly long[] Channels = [4, 4, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16];

    /// <summary>torchvision's vgg19(): its 16 convolutions' channels and the 3-layer classifier, 143.7 M floats (548 MB).</summary>
    public static readonly long[] FullChannels = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512];

    /// <summary>
    /// Every key and shape of torchvision's vgg19-dcbb9e9d.pth (features and classifier.{0,3,6}), random weights.
    /// </summary>
    public static Dictionary<string, Tensor> CreateFullSizeStateDict(int seed = 1234)
    {
        var dict = CreateStateDict(FullChannels, seed);
        dict.Remove("classifier.0.weight", out var stub);
        stub!.Dispose();
        using var generator = new Generator((ulong)seed + 1);
        (string Key, long Out, long In)[] classifier = [("classifier.0", 4096, 512 * 7 * 7), ("classifier.3", 4096, 4096), ("classifier.6", 1000, 4096)];
        foreach (var (key, outputs, inputs) in classifier)
        {
            dict[key + ".weight"] = torch.randn([outputs, inputs], generator: generator).mul_(0.01);
            dict[key + ".bias"] = torch.zeros([outputs]);
        }
        return dict;
    }

    public static Dictionary<string, Tensor> CreateStateDict(int seed = 1234) => CreateStateDict(Channels, seed);

    private static Dictionary<string, Tensor> CreateStateDict(long[] channels, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long inChannels = 3;
        for (var n = 0; n < channels.Length; n++)
        {
            var index = Vgg19Network.FeatureIndices[n];
            // He-style scale keeps activations from vanishing through 16 layers.
            var scale = Math.Sqrt(2.0 / (inChannels * 9));
            dict[$"features.{index}.weight"] = torch.randn([channels[n], inChannels, 3, 3], generator: generator).mul_(scale);
            dict[$"features.{index}.bias"] = torch.randn([channels[n]], generator: generator).mul_(0.05);
            inChannels = channels[n];
        }
        dict["classifier.0.weight"] = torch.randn([8, 16], generator: generator);
        return dict;
    }

    /// <summary>Writes the fixture as a torch.save zip (.pth) and returns its bytes.</summary>
    public static byte[] CreatePthBytes(int seed = 1234)
    {
        var dict = CreateStateDict(seed);
        try
        {
            var table = new Hashtable();
            foreach (var (k, v) in dict) table[k] = v;
            using var stream = new MemoryStream();
            PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true);
            return stream.ToArray();
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    public static byte[] CreateSafetensorsBytes(int seed = 1234)
    {
        var dict = CreateStateDict(seed);
        try
        {
            using var stream = new MemoryStream();
            Safetensors.SaveStateDict(stream, dict, leaveOpen: true);
            return stream.ToArray();
        }
        finally
        {
            foreach (var t in dict.Values) t.Dispose();
        }
    }

    /// <summary>Streams a state dict as "legacy" (pre-1.6 torch.save), "zip" (torch.save since 1.6) or "safetensors".</summary>
    public static void Save(IReadOnlyDictionary<string, Tensor> dict, string format, Stream stream)
    {
        switch (format)
        {
            case "legacy":
                LegacyTorchFileWriter.Write(dict, stream);
                break;
            case "zip":
                var table = new Hashtable();
                foreach (var (k, v) in dict) table[k] = v;
                PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true);
                break;
            case "safetensors":
                Safetensors.SaveStateDict(stream, dict.ToDictionary(), leaveOpen: true);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "legacy, zip or safetensors");
        }
    }

    /// <summary>The file name a user would give a state dict in that format.</summary>
    public static string FileName(string stem, string format) => stem + (format == "safetensors" ? ".safetensors" : ".pth");

    public static void Dispose(Dictionary<string, Tensor> dict)
    {
        foreach (var t in dict.Values) t.Dispose();
    }
}
