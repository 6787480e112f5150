using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Optimization;

/// <summary>
/// L-BFGS over one tensor, one objective evaluation per step, without line search — the same
/// algorithm as PyTorch's torch.optim.LBFGS with max_iter=1 (so a PyTorch reference does identical
/// work). Our own because TorchSharp's wraps libtorch's C++ optimizer, which prints a deprecation
/// warning to the console every time one is created.
/// </summary>
internal sealed class Lbfgs(Tensor x, double learningRate, int historySize) : IDisposable
{
    private const double ToleranceChange = 1e-9;
    private readonly List<(Tensor Y, Tensor S, double Rho)> history = [];
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
            SetDirection(gradient.neg());
            curvatureScale = 1;
        }
        else
        {
            var y = gradient.sub(previousGradient!);
            var s = direction!.mul(stepSize);
            var ys = y.dot(s).ToDouble();
            if (ys > 1e-10)
            {
                if (history.Count == historySize) Forget(0);
                history.Add((y.DetachFromDisposeScope(), s.DetachFromDisposeScope(), 1 / ys));
                curvatureScale = ys / y.dot(y).ToDouble();
            }
            SetDirection(TwoLoop(gradient));
        }
        previousGradient?.Dispose();
        previousGradient = gradient.clone().DetachFromDisposeScope();
        stepSize = iteration == 1 ? Math.Min(1, 1 / gradient.abs().sum().ToDouble()) * learningRate : learningRate;
        // Not a descent direction any more: converged as far as this precision allows.
        if (gradient.dot(direction!).ToDouble() > -ToleranceChange) return loss;
        x.add_(direction!.view(x.shape), alpha: stepSize);
        return loss;
    }

    /// <summary>
    /// The classic two-loop recursion: −H·g from the stored curvature pairs. In place on one
    /// buffer: allocating a new image-sized tensor per pair and step fragmented the heap so badly
    /// that resident memory grew by tens of MB per step at 512².
    /// </summary>
    private Tensor TwoLoop(Tensor gradient)
    {
        var alphas = new double[history.Count];
        var q = gradient.neg();
        for (var i = history.Count - 1; i >= 0; i--)
        {
            alphas[i] = history[i].S.dot(q).ToDouble() * history[i].Rho;
            q.add_(history[i].Y, alpha: -alphas[i]);
        }
        q.mul_(curvatureScale);
        for (var i = 0; i < history.Count; i++)
        {
            var beta = history[i].Y.dot(q).ToDouble() * history[i].Rho;
            q.add_(history[i].S, alpha: alphas[i] - beta);
        }
        return q;
    }

    private void SetDirection(Tensor d)
    {
        direction?.Dispose();
        direction = d.DetachFromDisposeScope();
    }

    private void Forget(int index)
    {
        history[index].Y.Dispose();
        history[index].S.Dispose();
        history.RemoveAt(index);
    }

    public void Dispose()
    {
        while (history.Count > 0) Forget(0);
        previousGradient?.Dispose();
        direction?.Dispose();
    }
}
