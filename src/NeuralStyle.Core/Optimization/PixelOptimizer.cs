using System.Diagnostics;
using NeuralStyle.Core.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Optimization;

/// <summary>
/// Optimises an image's pixels against an objective: one objective evaluation (forward + backward)
/// per step, progress after every step, and a cancellation check between steps so Ctrl+C stops
/// within one step.
/// </summary>
public static class PixelOptimizer
{
    /// <param name="objective">
    /// Returns the loss for the pixels and leaves its gradient in their <c>grad</c>, which is empty when it is called
    /// (whole-image autograd or block-wise, see <c>IEvaluator.EvaluateWithGradient</c>).
    /// </param>
    /// <param name="consumeStart">
    /// The caller hands <paramref name="start"/> over: its storage becomes the optimised pixels instead of
    /// being copied, so the stage does not hold an image-sized start it never reads again. The caller must
    /// not read it afterwards.
    /// </param>
    public static OptimizationResult Run(
        Tensor start,
        Func<Tensor, LossTerms> objective,
        OptimizationSettings settings,
        IProgress<OptimizationProgress>? progress = null,
        string stage = "",
        CancellationToken cancellationToken = default,
        Action<int, Tensor>? afterStep = null,
        bool consumeStart = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Steps, 0);
        var clock = Stopwatch.StartNew();
        using var pixels = Leaf(start, consumeStart);
        using var lbfgs = settings.Kind == OptimizerKind.Lbfgs ? new Lbfgs(pixels, settings.EffectiveLearningRate, settings.HistorySize, settings.CompactHistory) : null;
        using var adam = settings.Kind == OptimizerKind.Adam ? optim.Adam([pixels], lr: settings.EffectiveLearningRate) : null;
        LossTerms? last = null;

        // The optimiser may call this more than once per step; it returns the loss as a number.
        Tensor Closure()
        {
            // Dropped, not zeroed: the last step's gradient, held through the evaluation, was one image-sized buffer
            // more at its peak (201 MB at 4096²), and the backward pass made its new gradient beside it to add in.
            pixels.grad = null;
            last = objective(pixels);
            return tensor(last.TotalValue);
        }

        for (var step = 1; step <= settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // One scope per step: whatever the step allocates (wrappers included) is freed when it ends.
            using (NewDisposeScope())
            {
                if (lbfgs is not null) lbfgs.Step(Closure);
                else adam!.step(Closure);
                afterStep?.Invoke(step, pixels);
            }
            var perStep = clock.Elapsed / step;
            progress?.Report(new OptimizationProgress(stage, step, settings.Steps, last!.TotalValue, last.Content, last.Style,
                last.TotalVariation, clock.Elapsed, perStep * (settings.Steps - step)));
        }

        var image = Copy(pixels);
        return new OptimizationResult(image, last?.TotalValue ?? double.NaN, last?.Content ?? double.NaN, last?.Style ?? double.NaN,
            last?.TotalVariation ?? double.NaN, settings.Steps, clock.Elapsed);
    }

    // detach() makes a wrapper too, which shares the image's storage: left in the caller's scope it would
    // keep every stage's start and result alive until the whole run ends. Only the leaf leaves these scopes.
    private static Parameter Leaf(Tensor start, bool shareStorage)
    {
        using var scope = NewDisposeScope();
        var leaf = new Parameter(shareStorage ? start.detach() : start.detach().clone(), requires_grad: true);
        leaf.MoveToOuterDisposeScope();
        return leaf;
    }

    private static Tensor Copy(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        return pixels.detach().clone().MoveToOuterDisposeScope();
    }
}
