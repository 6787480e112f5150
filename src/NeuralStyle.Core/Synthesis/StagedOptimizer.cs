using System.Diagnostics;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Runs a coarse-to-fine schedule: optimise at each stage's size, upsample the result to the next
/// stage's size, repeat. Shared by texture synthesis and style transfer; they differ only in the
/// objective of each stage.
/// </summary>
internal static class StagedOptimizer
{
    /// <param name="start">
    /// The image at the first stage's size, or with <paramref name="resume"/> the checkpoint's at its stage's size.
    /// Handed over: optimised in place and disposed, so no stage holds an image-sized copy it does not read.
    /// </param>
    /// <param name="resume">Continue after this step of this stage: earlier stages and steps are skipped (a fresh optimiser history).</param>
    /// <returns>The image, the last loss (NaN when no step was left to run) and the steps this call ran.</returns>
    public static (Tensor Image, double Loss, int Steps) Run(
        IReadOnlyList<SynthesisStage> stages,
        Tensor start,
        Func<SynthesisStage, IEvaluator> evaluatorFor,
        Func<SynthesisStage, OptimizationSettings> settingsFor,
        CheckpointWriter? checkpoint,
        IProgress<SynthesisProgress>? progress,
        CancellationToken cancellationToken,
        bool wrap = false,
        ResumePoint? resume = null)
    {
        var clock = Stopwatch.StartNew();
        var first = resume?.Stage ?? 0;
        int DoneBefore(SynthesisStage stage) => stage.Index == first ? resume?.Step ?? 0 : 0;
        // Work per step grows with pixels; the time left is estimated from seconds per pixel-step so far (this call's).
        double totalWork = stages.Skip(first).Sum(s => (double)s.Width * s.Height * (s.Steps - DoneBefore(s))), doneWork = 0;
        var image = start;
        double loss = double.NaN;
        var steps = 0;
        foreach (var stage in stages.Skip(first))
        {
            // Each stage's image is image-sized: freed as soon as the next replaces it, not when the run's scope ends.
            if (image.shape[2] != stage.Height || image.shape[3] != stage.Width)
            {
                using var previous = image;
                image = Upsample(previous, stage.Width, stage.Height, wrap);
            }
            var done = DoneBefore(stage);
            if (done >= stage.Steps) continue;
            var stageProgress = new StageProgress(stage, stages.Count, done, clock, totalWork, doneWork, progress, checkpoint);
            var stageSettings = settingsFor(stage) with { Steps = stage.Steps - done };
            var evaluator = evaluatorFor(stage);
            var result = PixelOptimizer.Run(image, pixels => evaluator.EvaluateWithGradient(pixels, cancellationToken), stageSettings, stageProgress, $"stage {stage.Index + 1}", cancellationToken,
                stageProgress.OnStep, consumeStart: true);
            image.Dispose();
            image = result.Image;
            // The stage's optimiser and activations are freed now; return their pages before the next, larger stage.
            NativeHeap.Trim();
            loss = result.FinalLoss;
            steps += result.Steps;
            doneWork += (double)stage.Width * stage.Height * result.Steps;
        }
        return (image, loss, steps);
    }

    /// <summary>
    /// Bicubic ×2 (to the exact next pyramid size): smooth enough that no blockiness needs optimising
    /// away. A tileable image is upsampled as a torus (wrapped margin, then cropped), or the
    /// interpolation's edge handling would cut the seam open again at every scale.
    /// </summary>
    private static Tensor Upsample(Tensor image, int width, int height, bool wrap)
    {
        using var scope = NewDisposeScope();
        if (!wrap)
        {
            return nn.functional.interpolate(image, size: [height, width], mode: InterpolationMode.Bicubic, align_corners: false)
                .clamp(0, 1).MoveToOuterDisposeScope();
        }
        const int margin = 2;
        var padded = nn.functional.pad(image, [margin, margin, margin, margin], PaddingModes.Circular);
        var up = nn.functional.interpolate(padded, size: [2 * padded.shape[2], 2 * padded.shape[3]], mode: InterpolationMode.Bicubic,
            align_corners: false);
        return up[.., .., (2 * margin)..(2 * margin + height), (2 * margin)..(2 * margin + width)].clamp(0, 1).contiguous()
            .MoveToOuterDisposeScope();
    }

    private sealed class StageProgress(
        SynthesisStage stage, int stages, int stepsBefore, Stopwatch clock, double totalWork, double doneBefore,
        IProgress<SynthesisProgress>? sink, CheckpointWriter? checkpoint) : IProgress<OptimizationProgress>
    {
        private readonly double pixels = (double)stage.Width * stage.Height;

        public void Report(OptimizationProgress value)
        {
            var done = doneBefore + pixels * value.Step;
            var secondsPerWork = clock.Elapsed.TotalSeconds / done;
            sink?.Report(new SynthesisProgress(stage.Index + 1, stages, stage.Width, stage.Height, stepsBefore + value.Step, stage.Steps,
                value.Loss, clock.Elapsed, TimeSpan.FromSeconds(secondsPerWork * (totalWork - done)))
            {
                StageRemaining = TimeSpan.FromSeconds(secondsPerWork * pixels * (value.Steps - value.Step)),
            });
        }

        // Steps count from the stage's start, in a resumed stage too: checkpoints keep their rhythm and record where they are.
        public void OnStep(int step, Tensor pixels)
        {
            checkpoint?.MaybeWrite(stage, stepsBefore + step, pixels);
            NativeHeap.TrimAtMostEvery(HeapTrimInterval);
        }

        // About ten 512² steps on two cores: the trim's page faults cost ~2 % there, and less in longer steps.
        private static readonly TimeSpan HeapTrimInterval = TimeSpan.FromSeconds(10);
    }
}
