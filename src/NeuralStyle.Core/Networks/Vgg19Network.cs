using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// The convolutional part of torchvision's ImageNet VGG19 (<c>vgg19().features</c>): the network of
/// Gatys et al., rebuilt from a state dict as a frozen TorchSharp module.
/// </summary>
/// <remarks>
/// Layers in forward order, with Gatys' names: conv1_1, relu1_1, conv1_2, relu1_2, pool1, conv2_1 …
/// relu5_4, pool5 (blocks of 2, 2, 4, 4, 4 convolutions). The state dict keys are torchvision's,
/// <c>features.{0,2,5,…,34}.weight/bias</c>; channel counts are taken from the tensors' shapes, so a
/// reduced network with the same layout loads too. Classifier keys are ignored.
/// </remarks>
public sealed class Vgg19Network : nn.Module, IFeatureNetwork
{
    /// <summary>Convolutions per block.</summary>
    private static readonly int[] BlockSizes = [2, 2, 4, 4, 4];

    /// <summary>Index of each convolution in torchvision's <c>features</c> Sequential.</summary>
    public static IReadOnlyList<int> FeatureIndices { get; } = ComputeFeatureIndices();

    private static readonly string[] Layers = ComputeLayerNames();

    // Which of the 16 convolutions each conv layer is (-1 for ReLUs and pools).
    private static readonly int[] ConvolutionOfLayer = [.. Layers.Select((name, i) =>
        name.StartsWith("conv", StringComparison.Ordinal) ? Layers.Take(i).Count(n => n.StartsWith("conv", StringComparison.Ordinal)) : -1)];

    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    private readonly ModuleList<VggConvolution> convolutions;
    private readonly Device device;
    private Tensor? mean;
    private Tensor? std;
    private NetworkPadding padding = NetworkPadding.Zeros;

    private Vgg19Network(IReadOnlyDictionary<string, Tensor> stateDict, Device device, NetworkPooling pooling, string source)
        : base("vgg19")
    {
        this.device = device;
        Pooling = pooling;
        convolutions = new ModuleList<VggConvolution>(ReadConvolutions(stateDict, device, source));
        RegisterComponents();
        // Created after RegisterComponents: constants of the preprocessing, not model state.
        mean = torch.tensor(ImageNetMean, [1, 3, 1, 1], device: device);
        std = torch.tensor(ImageNetStd, [1, 3, 1, 1], device: device);
        eval();
    }

    public string Name => "vgg19";

    public IReadOnlyList<string> LayerNames => Layers;

    public Device Device => device;

    /// <summary>Max (as trained) or average pooling between blocks; can be changed at any time.</summary>
    public NetworkPooling Pooling { get; set; }

    /// <summary>Output channels of each convolution, in order (64, 64, 128, … for the real VGG19).</summary>
    public IReadOnlyList<long> ConvolutionChannels => convolutions.Select(c => c.OutChannels).ToArray();

    /// <summary>Reads a <c>.pth</c> or <c>.safetensors</c> state dict and builds the network on <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="StateDictFormatException">Not a state dict, or keys/shapes are not VGG19's.</exception>
    public static Vgg19Network Load(string path, Device device, NetworkPooling pooling = NetworkPooling.Max)
    {
        ArgumentNullException.ThrowIfNull(device);
        // The classifier is 468 MB of torchvision's 548 MB file and never used for features: not kept (nor read, where the format allows).
        var stateDict = StateDictFile.Read(path, key => key.StartsWith("features.", StringComparison.Ordinal));
        try
        {
            return new Vgg19Network(stateDict, device, pooling, path);
        }
        finally
        {
            foreach (var tensor in stateDict.Values) tensor.Dispose();
        }
    }

    /// <summary>Builds the network from tensors already in memory (copied; the caller keeps ownership).</summary>
    /// <exception cref="StateDictFormatException">Keys or shapes are not VGG19's.</exception>
    public static Vgg19Network FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, Device device, NetworkPooling pooling = NetworkPooling.Max)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(device);
        return new Vgg19Network(stateDict, device, pooling, "the state dict");
    }

    /// <summary>torchvision's ImageNet normalisation: (x − mean) / std per RGB channel, input in [0,1].</summary>
    public Tensor Preprocess(Tensor rgb01)
    {
        ArgumentNullException.ThrowIfNull(rgb01);
        LayerwiseForward.CheckImageBatch(rgb01, nameof(rgb01));
        using var centred = rgb01.sub(mean!);
        return centred.div(std!);
    }

    public IReadOnlyDictionary<string, Tensor> Forward(Tensor input, IReadOnlyCollection<string> layers) =>
        LayerwiseForward.Run(Name, Layers, input, layers, RunLayer);

    private Tensor RunLayer(int index, Tensor x, IReadOnlySet<string> wanted)
    {
        var name = Layers[index];
        if (name.StartsWith("conv", StringComparison.Ordinal))
        {
            return convolutions[ConvolutionOfLayer[index]].forward(x);
        }
        if (name.StartsWith("relu", StringComparison.Ordinal))
        {
            // In place saves memory, unless the conv output itself was asked for.
            return wanted.Contains(Layers[index - 1]) ? x.relu() : x.relu_();
        }
        return Pooling == NetworkPooling.Average
            ? nn.functional.avg_pool2d(x, [2, 2], [2, 2])
            : nn.functional.max_pool2d(x, [2, 2], [2, 2]);
    }

    /// <summary>3×3 convolutions with padding 1 and 2×2/2 pools, up to <paramref name="layer"/>.</summary>
    public FieldOfView FieldOfView(string layer)
    {
        var index = Array.IndexOf(Layers, layer);
        if (index < 0) throw new ArgumentException($"Unknown layer '{layer}'. {Name} has: {string.Join(", ", Layers)}.", nameof(layer));
        return Networks.FieldOfView.Through(Layers.Take(index + 1).Select(name =>
            name.StartsWith("conv", StringComparison.Ordinal) ? (3, 1, 1) : name.StartsWith("pool", StringComparison.Ordinal) ? (2, 2, 0) : (1, 1, 0)));
    }

    public NetworkPadding Padding => padding;

    /// <summary>Switches the padding of every convolution (the 2×2/2 pools need none).</summary>
    public void SetPadding(NetworkPadding mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode.");
        }
        padding = mode;
        foreach (var c in convolutions)
        {
            c.Padding = padding;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            mean?.Dispose();
            std?.Dispose();
            mean = null;
            std = null;
        }
        base.Dispose(disposing);
    }

    private static VggConvolution[] ReadConvolutions(IReadOnlyDictionary<string, Tensor> stateDict, Device device, string source)
    {
        var missing = FeatureIndices
            .SelectMany(i => new[] { $"features.{i}.weight", $"features.{i}.bias" })
            .Where(k => !stateDict.ContainsKey(k))
            .ToList();
        if (missing.Count > 0)
        {
            throw new StateDictFormatException(
                $"{source} is not a torchvision VGG19 state dict: {missing.Count} key(s) missing, e.g. {string.Join(", ", missing.Take(4))}. " +
                "Expected features.{0,2,5,7,10,12,14,16,19,21,23,25,28,30,32,34}.weight/bias (torchvision.models.vgg19().state_dict()).");
        }

        var result = new VggConvolution[FeatureIndices.Count];
        long inChannels = 3;
        for (var n = 0; n < result.Length; n++)
        {
            var key = $"features.{FeatureIndices[n]}";
            var weight = stateDict[key + ".weight"];
            var bias = stateDict[key + ".bias"];
            var shapeOk = weight.dim() == 4 && weight.shape[1] == inChannels && weight.shape[2] == 3 && weight.shape[3] == 3
                && bias.dim() == 1 && bias.shape[0] == weight.shape[0];
            if (!shapeOk || !weight.is_floating_point() || !bias.is_floating_point())
            {
                throw new StateDictFormatException(
                    $"{source}: {key} has weight [{string.Join(",", weight.shape)}] {weight.dtype} and bias [{string.Join(",", bias.shape)}] {bias.dtype}; " +
                    $"expected a floating-point 3×3 convolution from {inChannels} channels ([out,{inChannels},3,3] and [out]).");
            }
            result[n] = new VggConvolution(n.ToString(CultureInfo.InvariantCulture), weight, bias, device);
            inChannels = weight.shape[0];
        }
        return result;
    }

    private static int[] ComputeFeatureIndices()
    {
        // torchvision: each conv is followed by a ReLU (2 entries), each block by a MaxPool (1 entry).
        var indices = new List<int>();
        var position = 0;
        foreach (var size in BlockSizes)
        {
            for (var c = 0; c < size; c++)
            {
                indices.Add(position);
                position += 2;
            }
            position += 1;
        }
        return [.. indices];
    }

    private static string[] ComputeLayerNames()
    {
        var names = new List<string>();
        for (var block = 1; block <= BlockSizes.Length; block++)
        {
            for (var c = 1; c <= BlockSizes[block - 1]; c++)
            {
                names.Add($"conv{block}_{c}");
                names.Add($"relu{block}_{c}");
            }
            names.Add($"pool{block}");
        }
        return [.. names];
    }
}
