using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Optimization;

/// <summary>
/// L-BFGS over one tensor, one objective evaluation per step, without line search — the same
/// algorithm as PyTorch's torch.optim.LBFGS with max_iter=1 (so a PyTorch reference does identical
/// work). Our own because TorchSharp's wraps libtorch's C++ optimizer, which prints a deprecation
/// warning to the console every time one is created.
/// </summary>
/// <remarks>
/// Every image-sized vector it keeps lives in a buffer allocated once and overwritten in place: the
/// curvature pairs, the previous gradient and the direction (a new pair goes into the oldest
/// one's buffers once the history is full). Allocating them anew each step interleaved long-lived blocks (a pair lives 20 steps)
/// with the step's short-lived ones: one cause of glibc's heap holding more freed memory with every
/// step (bench/README.md, "Memory against steps"). With <c>compact</c> the pairs are kept at
/// 9 bytes a pixel instead of 24 (<see cref="OptimizationSettings.CompactHistory"/>); everything else stays in the image's precision.
/// </remarks>
internal sealed class Lbfgs(Tensor x, double learningRate, int historySize, bool compact = false) : IDisposable
{
    private const double ToleranceChange = 1e-9;
    private readonly List<Pair> history = []; // oldest first
    private Tensor? previousGradient;
    private Tensor? direction;
    private double stepSize;
    private double curvatureScale = 1;
    private int iteration;

    /// <summary>Evaluates <paramref name="closure"/> (which fills x.grad) and takes one step from its gradient.</summary>
    public Tensor Step(Func<Tensor> closure)
    {
        var loss = closure();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var gradient = x.grad!.reshape(-1);
        iteration++;
        if (iteration == 1)
        {
            previousGradient = Buffer(gradient);
            direction = Buffer(gradient);
            direction.copy_(gradient).neg_();
            curvatureScale = 1;
        }
        else
        {
            using var y = gradient.sub(previousGradient!);
            using var s = direction!.mul(stepSize);
            if (y.dot(s).ToDouble() > 1e-10)
            {
                // Only a pair worth keeping is stored, into the oldest pair's buffers once the history is full: no spare pair is held.
                var full = history.Count == historySize;
                var (yPrecision, sPrecision) = PairPrecisions(compact);
                var pair = full ? history[0] : new Pair(new HistoryVector(gradient, yPrecision), new HistoryVector(gradient, sPrecision));
                if (full) history.RemoveAt(0);
                pair.Y.Store(y);
                pair.S.Store(s);
                // ρ from the stored vectors, so the recursion stays consistent with what it reads back.
                var ys = pair.Y.Dot(pair.S);
                if (ys > 1e-10)
                {
                    pair.Rho = 1 / ys;
                    history.Add(pair);
                    curvatureScale = ys / pair.Y.Dot(pair.Y);
                }
                else
                {
                    pair.Dispose(); // rounding took the curvature away: rare, and the history is one pair shorter for a while
                }
            }
            TwoLoop(gradient, direction!);
        }
        previousGradient!.copy_(gradient);
        stepSize = iteration == 1 ? Math.Min(1, 1 / gradient.abs().sum().ToDouble()) * learningRate : learningRate;
        // Not a descent direction any more: converged as far as this precision allows.
        if (gradient.dot(direction!).ToDouble() > -ToleranceChange) return loss;
        x.add_(direction!.view(x.shape), alpha: stepSize);
        return loss;
    }

    /// <summary>The classic two-loop recursion: −H·g from the stored curvature pairs, in place in <paramref name="q"/>.</summary>
    private void TwoLoop(Tensor gradient, Tensor q)
    {
        var alphas = new double[history.Count];
        q.copy_(gradient).neg_();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            alphas[i] = history[i].S.Dot(q) * history[i].Rho;
            history[i].Y.AddTo(q, -alphas[i]);
        }
        q.mul_(curvatureScale);
        for (var i = 0; i < history.Count; i++)
        {
            var beta = history[i].Y.Dot(q) * history[i].Rho;
            history[i].S.AddTo(q, alphas[i] - beta);
        }
    }

    /// <summary>
    /// How a pair's gradient change y and step s are stored. Compact: y in bytes, s at half precision (steps in bytes cost
    /// measured quality, quality/results/levers.md).
    /// </summary>
    private static (HistoryPrecision Y, HistoryPrecision S) PairPrecisions(bool compact) =>
        compact ? (HistoryPrecision.Byte, HistoryPrecision.Half) : (HistoryPrecision.Image, HistoryPrecision.Image);

    /// <summary>Bytes one pair keeps per value of a float32 image (a byte vector's block scales not counted): what the memory estimate charges.</summary>
    internal static int PairBytesPerValue(bool compact)
    {
        var (y, s) = PairPrecisions(compact);
        return y.BytesPerFloat32Value() + s.BytesPerFloat32Value();
    }

    /// <summary>An image-sized vector this optimiser owns until it is disposed.</summary>
    private static Tensor Buffer(Tensor like) => empty_like(like).DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var pair in history) pair.Dispose();
        history.Clear();
        previousGradient?.Dispose();
        direction?.Dispose();
    }

    private sealed class Pair(HistoryVector y, HistoryVector s) : IDisposable
    {
        public HistoryVector Y { get; } = y;
        public HistoryVector S { get; } = s;
        public double Rho { get; set; }

        public void Dispose()
        {
            Y.Dispose();
            S.Dispose();
        }
    }
}
