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
/// Gatys style transfer with Snelgrove's multi-octave style loss: the content's deep features plus
/// the style's Gram targets on every octave of its pyramid, coarse to fine. At a stage of 1/2^k the
/// image is compared with the content's k-th pyramid level and the style's octaves from k on.
/// </summary>
public sealed class StyleTransferer(IFeatureNetwork network, NetworkProfile profile)
{
    /// <param name="content">Content image at the output size (already resized), colour as the user gave it.</param>
    /// <param name="targets">Style targets for styles already scaled (and recoloured) for this output.</param>
    public SynthesisResult Transfer(RgbImage content, StyleTargets targets, StyleTransferOptions options,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int width = content.Width, height = content.Height;
        GaussianPyramid.EnsureFits(width, height, options.Octaves, profile.MinimumSide, "The output");
        // Refuses, before anything is allocated, an output that fits in memory neither whole nor block-wise; each stage plans for itself below.
        MemoryEstimate.Plan(network.Name, width, height, options.Octaves, options.TileSize, options.StyleLoss == StyleLossKind.Gram);
        var weights = (options.Weights ?? profile.TransferWeights).Validate();
        var stages = CoarseToFineSchedule.Plan(width, height, options.Octaves, options.StepsPerStage, options.CoarseToFine);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        random.manual_seed(options.Seed);
        var generator = new Generator((ulong)options.Seed, network.Device);

        using var scope = NewDisposeScope();
        var colour = content.Rgb.to(network.Device);
        // Luminance-only transfer optimises a grey image against grey targets; colour returns at the end.
        var guide = options.PreserveColor == ColorPreservation.Luminance ? ColorSpace.MatchedLuminance(colour, colour) : colour;
        var contentLevels = GaussianPyramid.Build(guide, options.Octaves);
        var contentTargets = new ContentTarget[options.Octaves];
        var padding = SynthesisSession.Padding(tileable: false);
        try
        {
            foreach (var stage in stages)
            {
                contentTargets[stage.StyleOctaveOffset] = ContentTarget.Read(network, contentLevels[stage.StyleOctaveOffset], profile.ContentLayer, padding);
            }
            var start = StartImage(contentLevels[stages[0].StyleOctaveOffset], options, generator);
            var checkpoint = CheckpointWriter.For(options.CheckpointEvery, options.CheckpointPath);
            var settings = new OptimizationSettings { Kind = options.Optimizer, LearningRate = options.LearningRate };
            var (image, loss, steps) = StagedOptimizer.Run(stages, start,
                stage => Evaluator.For(network, Objective.For(targets, contentTargets[stage.StyleOctaveOffset], weights, PyramidBorder.Reflect, padding,
                    stage.StyleOctaveOffset, options.StyleLoss, generator),
                    MemoryEstimate.TileSizeFor(network.Name, stage, options.Octaves, options.TileSize, options.StyleLoss)),
                settings, checkpoint, progress, cancellationToken);
            var result = options.PreserveColor == ColorPreservation.Luminance
                ? ColorSpace.CombineLuminance(image.clamp(0, 1), colour)
                : image.clamp(0, 1);
            var output = new RgbImage(result.cpu().contiguous(), content.Alpha?.clone(), content.SourceBitDepth);
            return new SynthesisResult(output, steps, loss, clock.Elapsed, network.Name, network.Device.ToString(), options.Seed);
        }
        finally
        {
            foreach (var target in contentTargets) target?.Dispose();
        }
    }

    private Tensor StartImage(Tensor coarseContent, StyleTransferOptions options, Generator generator) => options.Init switch
    {
        InitKind.Image when options.InitImagePath is null => coarseContent,
        InitKind.Image => LoadInit(options.InitImagePath, (int)coarseContent.shape[3], (int)coarseContent.shape[2]),
        InitKind.Noise => coarseContent.mean([2, 3], keepdim: true)
            .add(randn(coarseContent.shape, device: network.Device, generator: generator).mul(0.2)).clamp(0, 1),
        _ => coarseContent.mean([2, 3], keepdim: true).expand_as(coarseContent).contiguous(),
    };

    private Tensor LoadInit(string path, int width, int height)
    {
        using var image = ImageCodec.Read(path);
        return Resampler.Resize(image.Rgb.to(network.Device), width, height);
    }
}
