using System.Diagnostics;
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
/// Runs a <see cref="SynthesisPlan"/>: Snelgrove's multi-octave texture synthesis, and Gatys style
/// transfer with the same multi-octave style loss when the plan has a content. Coarse to fine: at a
/// stage of 1/2^k the image matches the style's octaves from k on and, for a transfer, the content's
/// k-th pyramid level.
/// </summary>
public sealed class Synthesizer(IFeatureNetwork network)
{
    /// <param name="targets">The style targets of <see cref="SynthesisPlan.TargetKey"/>.</param>
    /// <param name="meanColour">The styles' mean colour ([3]), where a texture starts.</param>
    /// <param name="content">A transfer's content at the output size, colour as the user gave it; null for a texture.</param>
    public SynthesisResult Run(SynthesisPlan plan, StyleTargets targets, Tensor meanColour, RgbImage? content,
        IProgress<SynthesisProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (targets.Octaves != plan.Octaves)
            throw new ArgumentException($"The targets have {targets.Octaves} octaves, the plan {plan.Octaves}.", nameof(targets));
        var request = plan.Request;
        var luminance = request.Content?.PreserveColor == ColorPreservation.Luminance;
        var clock = Stopwatch.StartNew();
        random.manual_seed(request.Seed);
        var generator = new Generator((ulong)request.Seed, network.Device);
        using var scope = NewDisposeScope();
        var stages = plan.Stages.Select(s => s.Stage).ToList();
        var first = stages[0];
        ContentTarget? contentTarget = null;
        try
        {
            Tensor? colour = null, coarseContent = null;
            IReadOnlyList<Tensor>? levels = null;
            if (content is not null)
            {
                colour = content.Rgb.to(network.Device);
                // Luminance-only transfer optimises a grey image against grey targets; colour returns at the end.
                var guide = luminance ? ColorSpace.MatchedLuminance(colour, colour) : colour;
                levels = GaussianPyramid.Build(guide, plan.Octaves);
                coarseContent = levels[first.StyleOctaveOffset];
            }
            // A resumed run starts from the checkpoint's exact pixels at its stage (verified when planned; checked again as read).
            var resume = plan.Checkpoint?.ResumeFrom;
            var start = resume is null
                ? InitialImage.For(request, first, meanColour, coarseContent, generator, network.Device)
                : ResumedImage(plan.Checkpoint!, resume);
            var settings = new OptimizationSettings { Kind = request.Optimizer, LearningRate = request.LearningRate };
            var (image, loss, steps) = StagedOptimizer.Run(stages, start,
                stage =>
                {
                    // Each stage's content target when the stage begins, the previous one freed: no stage holds another's.
                    contentTarget?.Dispose();
                    contentTarget = levels is null ? null : ContentTarget.Read(network, levels[stage.StyleOctaveOffset], plan.ContentLayer, plan.Padding);
                    return Evaluator.For(network,
                        Objective.For(targets, contentTarget, plan.Weights, plan.Border, plan.Padding, stage.StyleOctaveOffset,
                            request.StyleLoss, generator),
                        plan.Stages[stage.Index].TileSize);
                },
                stage => settings with { CompactHistory = plan.Stages[stage.Index].CompactHistory },
                CheckpointWriter.For(plan), progress, cancellationToken,
                wrap: plan.Border == PyramidBorder.Circular, resume: resume?.Position);
            var clamped = image.clamp(0, 1);
            var output = content is null
                ? new RgbImage(clamped.cpu().contiguous())
                : new RgbImage((luminance ? ColorSpace.CombineLuminance(clamped, colour!) : clamped).cpu().contiguous(), content.Alpha?.clone(),
                    content.SourceBitDepth);
            return new SynthesisResult(output, steps, loss, clock.Elapsed, network.Name, network.Device.ToString(), request.Seed);
        }
        finally
        {
            // A long-lived holder (see the ownership rule): it owns its tensors outside any scope.
            contentTarget?.Dispose();
        }
    }

    private Tensor ResumedImage(CheckpointPlan checkpoint, CheckpointRecord record)
    {
        try { return CheckpointPixels.Read(checkpoint.Files.Pixels, record.Width, record.Height, record.PixelsSha256, network.Device); }
        catch (Exception e) when (e is InvalidDataException or IOException) { throw CheckpointRecord.Damaged(checkpoint.Files, e.Message); }
    }
}
