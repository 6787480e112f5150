using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// The bundled ImageNet ResNet-18 feature extractor (the CNTK model shipped in the
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 package), rebuilt as a frozen TorchSharp module.
/// </summary>
/// <remarks>
/// Layers: "stem" (conv 7×7/2 + BN + ReLU), "pool" (max-pool 3×3/2), "layer1".."layer4" (basic
/// blocks, [2,2,2,3] of them: this export has a third block in stage 4, unlike torchvision's
/// [2,2,2,2]). Batch norms are folded into the convolutions at load time.
/// </remarks>
public sealed class ResNet18Network : nn.Module, IFeatureNetwork
{
    private static readonly string[] Layers = ["stem", "pool", "layer1", "layer2", "layer3", "layer4"];
    private static readonly int[] ExpectedBlocks = [2, 2, 2, 3];
    private static readonly long[] ExpectedChannels = [64, 128, 256, 512];

    // Per-channel means (B, G, R) of the 224×224 mean image that ResNetPreprocess.onnx subtracts;
    // one value per channel works at any input size.
    private static readonly float[] BgrMean = [103.06262f, 115.902885f, 123.151634f];

    private readonly FoldedConv2d stem;
    private readonly ModuleList<BasicBlock> layer1;
    private readonly ModuleList<BasicBlock> layer2;
    private readonly ModuleList<BasicBlock> layer3;
    private readonly ModuleList<BasicBlock> layer4;
    private readonly long poolKernel;
    private readonly long poolStride;
    private readonly long poolPadding;
    private readonly Device device;
    private Tensor? pixelMean;
    private Tensor? bgrOrder;
    private NetworkPadding padding = NetworkPadding.Zeros;

    private ResNet18Network(ResNetSpec spec, Device device)
        : base("resnet18")
    {
        this.device = device;
        stem = new FoldedConv2d(nameof(stem), spec.Stem, device);
        poolKernel = spec.PoolKernel;
        poolStride = spec.PoolStride;
        poolPadding = spec.PoolPadding;
        layer1 = Stage(spec.Stages[0], device);
        layer2 = Stage(spec.Stages[1], device);
        layer3 = Stage(spec.Stages[2], device);
        layer4 = Stage(spec.Stages[3], device);
        RegisterComponents();
        // Created after RegisterComponents: constants of the preprocessing, not model state.
        pixelMean = torch.tensor(BgrMean, [1, 3, 1, 1], device: device);
        bgrOrder = torch.tensor(new long[] { 2, 1, 0 }, device: device);
        eval();
    }

    public string Name => "resnet18";

    public IReadOnlyList<string> LayerNames => Layers;

    public Device Device => device;

    /// <summary>Loads the network bundled with the module (models/ResNet18.onnx).</summary>
    public static ResNet18Network LoadBundled(Device device) => Load(ModelFiles.ResNet18Path, device);

    /// <summary>Reads the ONNX file, checks it is the expected ResNet-18 and builds the network on <paramref name="device"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="onnxPath"/>.</exception>
    /// <exception cref="ModelFormatException">The graph is not the expected ResNet-18.</exception>
    public static ResNet18Network Load(string onnxPath, Device device)
    {
        ArgumentNullException.ThrowIfNull(onnxPath);
        ArgumentNullException.ThrowIfNull(device);
        if (!File.Exists(onnxPath))
        {
            throw new FileNotFoundException($"Model file '{onnxPath}' was not found.", onnxPath);
        }
        ModelProto model;
        using (var stream = File.OpenRead(onnxPath))
        {
            try
            {
                model = ModelProto.Parser.ParseFrom(stream);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new ModelFormatException($"'{onnxPath}' is not a readable ONNX model: {e.Message}");
            }
        }
        var spec = OnnxResNetReader.Read(model, onnxPath);
        CheckIsResNet18(spec, onnxPath);
        return new ResNet18Network(spec, device);
    }

    /// <summary>
    /// What ResNetPreprocess.onnx does (read from its graph): take RGB in 0..255 as [1,3,224,224],
    /// Split the channels and Concat them as B,G,R, then Sub a 224×224 BGR mean image. No scaling
    /// by a standard deviation. Here: ×255, RGB→BGR, minus the mean image's per-channel means.
    /// </summary>
    public Tensor Preprocess(Tensor rgb01)
    {
        ArgumentNullException.ThrowIfNull(rgb01);
        LayerwiseForward.CheckImageBatch(rgb01, nameof(rgb01));
        using var bgr = rgb01.index_select(1, bgrOrder!);
        using var scaled = bgr.mul(255f);
        return scaled.sub(pixelMean!);
    }

    public IReadOnlyDictionary<string, Tensor> Forward(Tensor input, IReadOnlyCollection<string> layers) =>
        LayerwiseForward.Run(Name, Layers, input, layers, (i, x, _) => RunLayer(i, x));

    /// <summary>The main path's windows (a block's 1×1 shortcut sees less): stem 7×7/2, pool 3×3/2, 3×3 convolutions.</summary>
    public FieldOfView FieldOfView(string layer)
    {
        var index = Array.IndexOf(Layers, layer);
        if (index < 0) throw new ArgumentException($"Unknown layer '{layer}'. {Name} has: {string.Join(", ", Layers)}.", nameof(layer));
        var operations = new List<(int, int, int)> { (7, 2, 3), ((int)poolKernel, (int)poolStride, (int)poolPadding) };
        for (var stage = 0; stage < index - 1; stage++)
        {
            var convolutions = 2 * ExpectedBlocks[stage];
            operations.Add((3, stage == 0 ? 1 : 2, 1));
            operations.AddRange(Enumerable.Repeat((3, 1, 1), convolutions - 1));
        }
        return Networks.FieldOfView.Through(operations.Take(index == 0 ? 1 : operations.Count));
    }

    public NetworkPadding Padding => padding;

    public void SetPadding(NetworkPadding mode)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode.");
        }
        padding = mode;
        stem.Padding = mode;
        foreach (var block in new[] { layer1, layer2, layer3, layer4 }.SelectMany(s => s))
        {
            foreach (var conv in block.Convolutions)
            {
                conv.Padding = mode;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pixelMean?.Dispose();
            bgrOrder?.Dispose();
            pixelMean = null;
            bgrOrder = null;
        }
        base.Dispose(disposing);
    }

    private Tensor RunLayer(int index, Tensor x) => index switch
    {
        0 => stem.forward(x).relu_(),
        1 => Pool(x),
        2 => RunStage(layer1, x),
        3 => RunStage(layer2, x),
        4 => RunStage(layer3, x),
        _ => RunStage(layer4, x),
    };

    /// <summary>
    /// Max (as trained) or average pooling after the stem. A max-pool passes gradient to one pixel in
    /// nine, which imprints a grid on optimised images; average pooling spreads it (Gatys did the same for VGG).
    /// </summary>
    public NetworkPooling Pooling { get; set; } = NetworkPooling.Max;

    private Tensor Pool(Tensor x)
    {
        if (Pooling == NetworkPooling.Average)
        {
            long[] size = [poolKernel, poolKernel], step = [poolStride, poolStride];
            var pad = poolPadding;
            if (padding == NetworkPadding.Zeros || pad == 0)
                return nn.functional.avg_pool2d(x, size, step, [pad, pad], count_include_pad: false);
            using var wrapped = nn.functional.pad(x, [pad, pad, pad, pad], padding == NetworkPadding.Circular ? PaddingModes.Circular : PaddingModes.Reflect);
            return nn.functional.avg_pool2d(wrapped, size, step);
        }
        return MaxPool(x);
    }

    // Zeros mode uses the pool's own padding, which acts as -inf (pad values never win), as in
    // ONNX and PyTorch; circular mode wraps explicitly before an unpadded pool.
    private Tensor MaxPool(Tensor x)
    {
        long[] kernel = [poolKernel, poolKernel], strides = [poolStride, poolStride];
        var p = poolPadding;
        if (padding == NetworkPadding.Zeros || p == 0)
        {
            return nn.functional.max_pool2d(x, kernel, strides, [p, p]);
        }
        using var padded = nn.functional.pad(x, [p, p, p, p], padding == NetworkPadding.Circular ? PaddingModes.Circular : PaddingModes.Reflect);
        return nn.functional.max_pool2d(padded, kernel, strides);
    }

    private static Tensor RunStage(ModuleList<BasicBlock> stage, Tensor x)
    {
        foreach (var block in stage)
        {
            x = block.forward(x);
        }
        return x;
    }

    private static ModuleList<BasicBlock> Stage(IReadOnlyList<BasicBlockSpec> blocks, Device device) =>
        new(blocks.Select((b, i) => new BasicBlock(i.ToString(System.Globalization.CultureInfo.InvariantCulture), b, device)).ToArray());

    private static void CheckIsResNet18(ResNetSpec spec, string source)
    {
        var counts = spec.Stages.Select(s => s.Count).ToArray();
        var channels = spec.Stages.Select(s => s[0].Conv1.OutChannels).ToArray();
        var stemOk = spec.Stem is { OutChannels: 64, KernelSize: 7, Stride: 2 }
            && spec is { PoolKernel: 3, PoolStride: 2 };
        if (!stemOk || !counts.SequenceEqual(ExpectedBlocks) || !channels.SequenceEqual(ExpectedChannels))
        {
            throw new ModelFormatException(
                $"'{source}' is a ResNet, but not the expected ResNet-18 feature network: stem {spec.Stem.OutChannels}×{spec.Stem.KernelSize}×{spec.Stem.KernelSize}/{spec.Stem.Stride}, " +
                $"pool {spec.PoolKernel}/{spec.PoolStride}, blocks per stage [{string.Join(",", counts)}], channels [{string.Join(",", channels)}]; " +
                $"expected 64×7×7/2, pool 3/2, blocks [{string.Join(",", ExpectedBlocks)}], channels [{string.Join(",", ExpectedChannels)}].");
        }
    }
}
