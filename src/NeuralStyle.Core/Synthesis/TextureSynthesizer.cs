using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Multi-octave texture synthesis (Snelgrove 2017): optimise noise so that, on every octave of its
/// Gaussian pyramid, its feature statistics match the source's on the same octave. Any output size,
/// coarse-to-fine by default; tileable through circular padding in the network and the pyramid.
/// </summary>
public sealed class TextureSynthesizer(IFeatureNetwork network, NetworkProfile profile)
{
    public SynthesisResult Synthesize(StyleTargets targets, Tensor meanColour, TextureOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (targets.Octaves != options.Octaves)
            throw new ArgumentException($"The targets have {targets.Octaves} octaves, the options {options.Octaves}.", nameof(targets));
        GaussianPyramid.EnsureFits(options.Width, options.Height, options.Octaves, profile.MinimumSide, "The output");
        // Refuses, before anything is allocated, an output that fits in memory neither whole nor block-wise; each stage plans for itself below.
        MemoryEstimate.Plan(network.Name, options.Width, options.Height, options.Octaves, options.TileSize,
            options.StyleLoss == StyleLossKind.Gram);
        var weights = (options.Weights ?? profile.TextureWeights) with { Content = 0 };
        var border = options.Tileable ? PyramidBorder.Circular : PyramidBorder.Reflect;
        var stages = CoarseToFineSchedule.Plan(options.Width, options.Height, options.Octaves, options.StepsPerStage, options.CoarseToFine);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        random.manual_seed(options.Seed);
        var generator = new Generator((ulong)options.Seed, network.Device);
        using var scope = NewDisposeScope();
        var start = StartImage(stages[0], meanColour, options, generator);
        var checkpoint = CheckpointWriter.For(options.CheckpointEvery, options.CheckpointPath);

        var padding = SynthesisSession.Padding(options.Tileable);
        var settings = new OptimizationSettings { Kind = options.Optimizer, LearningRate = options.LearningRate };
        var (image, loss, steps) = StagedOptimizer.Run(stages, start,
            stage => Evaluator.For(network, Objective.For(targets, null, weights, border, padding, stage.StyleOctaveOffset, options.StyleLoss, generator),
                MemoryEstimate.TileSizeFor(network.Name, stage, options.Octaves, options.TileSize, options.StyleLoss)),
            settings, checkpoint, progress, cancellationToken, options.Tileable);
        var result = new RgbImage(image.clamp(0, 1).cpu().contiguous());
        image.Dispose();
        return new SynthesisResult(result, steps, loss, clock.Elapsed, network.Name, network.Device.ToString(), options.Seed);
    }

    private Tensor StartImage(SynthesisStage first, Tensor meanColour, TextureOptions options, Generator generator)
    {
        var mean = meanColour.to(network.Device).reshape(1, 3, 1, 1);
        var shape = new long[] { 1, 3, first.Height, first.Width };
        return options.Init switch
        {
            InitKind.Noise => mean.add(randn(shape, device: network.Device, generator: generator).mul(0.2)).clamp(0, 1),
            InitKind.Mean => mean.add(randn(shape, device: network.Device, generator: generator).mul(0.01)).clamp(0, 1),
            InitKind.Image => LoadInit(options.InitImagePath ?? throw new ArgumentException("-Init Image needs an image path."), first),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Init, "Unknown init."),
        };
    }

    private Tensor LoadInit(string path, SynthesisStage first)
    {
        using var image = ImageCodec.Read(path);
        return nn.functional.interpolate(image.Rgb.to(network.Device), size: [first.Height, first.Width],
            mode: InterpolationMode.Area);
    }
}
