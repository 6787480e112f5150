using TorchSharp;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Optimization;

public class PixelOptimizerTests
{
    /// <summary>f(x) = ½ (x − x*)ᵀ A (x − x*) with A symmetric positive definite, condition number 100.</summary>
    private sealed class Quadratic : IDisposable
    {
        public Quadratic(int n, int seed, ScalarType dtype = ScalarType.Float64)
        {
            var g = new Generator((ulong)seed);
            var (q, _) = linalg.qr(randn([n, n], dtype: ScalarType.Float64, generator: g));
            var eigen = linspace(1, 100, n, dtype: ScalarType.Float64);
            A = q.matmul(diag(eigen)).matmul(q.t()).to(dtype).DetachFromDisposeScope();
            Minimum = randn([1, 3, 4, 4], dtype: ScalarType.Float64, generator: g).to(dtype).DetachFromDisposeScope();
        }

        public Tensor A { get; }
        public Tensor Minimum { get; }
        public int Evaluations { get; private set; }

        public Tensor Evaluate(Tensor x)
        {
            Evaluations++;
            var d = x.sub(Minimum).reshape(-1, 1);
            return d.t().matmul(A).matmul(d).mul(0.5).squeeze();
        }

        public LossTerms EvaluateWithGradient(Tensor x)
        {
            var value = Evaluate(x);
            value.backward();
            return new LossTerms(0, value.ToDouble(), 0);
        }

        public void Dispose() { A.Dispose(); Minimum.Dispose(); }
    }

    [Fact]
    public void Lbfgs_reaches_the_minimum_of_an_ill_conditioned_quadratic()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 1);
        var start = zeros([1, 3, 4, 4], dtype: ScalarType.Float64);
        var result = PixelOptimizer.Run(start, problem.EvaluateWithGradient, new OptimizationSettings { Steps = 80 });
        var distance = result.Image.sub(problem.Minimum).norm().item<double>();
        Assert.True(distance < 1e-4, $"distance to the minimum {distance}, final loss {result.FinalLoss}");
        Assert.Equal(80, problem.Evaluations); // one evaluation per step: progress and cancellation come every step
    }

    /// <summary>
    /// A start handed over is optimised in its own storage: a stage then holds one image-sized copy of its
    /// pixels, not two (at 4096², 200 MB). One kept by the caller is copied and left as it was.
    /// </summary>
    [Fact]
    public void A_start_handed_over_becomes_the_pixels_and_a_kept_one_is_left_alone()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 2);
        var kept = zeros([1, 3, 4, 4], dtype: ScalarType.Float64);
        var handed = zeros([1, 3, 4, 4], dtype: ScalarType.Float64);
        var settings = new OptimizationSettings { Steps = 5 };

        var fromKept = PixelOptimizer.Run(kept, problem.EvaluateWithGradient, settings);
        var fromHanded = PixelOptimizer.Run(handed, problem.EvaluateWithGradient, settings, consumeStart: true);

        Assert.Equal(0, kept.abs().max().item<double>());
        Assert.True(fromHanded.Image.eq(fromKept.Image).all().item<bool>(), "the same steps either way");
        Assert.True(handed.eq(fromHanded.Image).all().item<bool>(), "the handed-over start's storage holds the optimised pixels");
    }

    /// <summary>
    /// A compact history (steps at half precision: float64 → float32, float32 → bfloat16; gradient changes in bytes) still gives
    /// quasi-Newton steps: the minimum to within that precision, in the same number of steps. A history that broke (or a pair
    /// stored at full precision with its products read at half) would stall far from it.
    /// </summary>
    [Theory]
    [InlineData(ScalarType.Float64, 2e-2)]
    [InlineData(ScalarType.Float32, 2e-2)]
    public void Lbfgs_with_a_compact_history_reaches_the_minimum_too(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 1, dtype);
        var start = zeros([1, 3, 4, 4], dtype: dtype);
        var initial = problem.Minimum.norm().ToDouble() is var n && n > 0 ? n : 1;
        var full = PixelOptimizer.Run(start, problem.EvaluateWithGradient, new OptimizationSettings { Steps = 80 });
        var compact = PixelOptimizer.Run(start, problem.EvaluateWithGradient, new OptimizationSettings { Steps = 80, CompactHistory = true });
        var distance = compact.Image.sub(problem.Minimum).norm().ToDouble() / initial;
        Assert.True(distance < tolerance, $"relative distance to the minimum {distance} (full history: " +
            $"{full.Image.sub(problem.Minimum).norm().ToDouble() / initial}), final loss {compact.FinalLoss}");
        Assert.Equal(dtype, compact.Image.dtype);
    }

    /// <summary>
    /// Once the history is full, a new pair goes into the oldest one's buffers: the optimiser holds the pairs it keeps and no
    /// spare (a spare pair was 0.15 GB at 4096² with a compact history, 0.4 GB in float32).
    /// </summary>
    [Fact]
    public void A_full_history_holds_as_many_pairs_as_it_keeps()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 3);
        var live = new List<long>();
        PixelOptimizer.Run(zeros([1, 3, 4, 4], dtype: ScalarType.Float64), problem.EvaluateWithGradient,
            new OptimizationSettings { Steps = 12, HistorySize = 4 },
            afterStep: (_, _) => live.Add(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount));
        // After step 2 one pair is held, after step 3 two: a pair's tensors are the difference.
        var perPair = live[2] - live[1];
        Assert.Equal(2, perPair);
        Assert.Equal(live[1] + 3 * perPair, live[^1]);
    }

    /// <summary>
    /// Each evaluation starts without a gradient buffer: the last step's one, held through the next evaluation, was an image-sized
    /// buffer more at its peak (201 MB at 4096²).
    /// </summary>
    [Theory]
    [InlineData(OptimizerKind.Lbfgs)]
    [InlineData(OptimizerKind.Adam)]
    public void No_gradient_is_held_while_the_next_step_evaluates(OptimizerKind kind)
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 3);
        var held = new List<bool>();
        var result = PixelOptimizer.Run(zeros([1, 3, 4, 4], dtype: ScalarType.Float64), x =>
        {
            held.Add(x.grad is not null);
            return problem.EvaluateWithGradient(x);
        }, new OptimizationSettings { Kind = kind, Steps = 5, LearningRate = kind == OptimizerKind.Adam ? 0.05 : null });
        Assert.Equal([false, false, false, false, false], held);
        Assert.True(result.FinalLoss < problem.Evaluate(zeros([1, 3, 4, 4], dtype: ScalarType.Float64)).ToDouble());
    }

    [Fact]
    public void Adam_reduces_the_quadratic_substantially()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 2);
        var start = zeros([1, 3, 4, 4], dtype: ScalarType.Float64);
        var initial = problem.Evaluate(start).item<double>();
        var result = PixelOptimizer.Run(start, problem.EvaluateWithGradient, new OptimizationSettings { Kind = OptimizerKind.Adam, Steps = 400, LearningRate = 0.05 });
        Assert.True(result.FinalLoss < initial * 1e-3, $"initial {initial}, final {result.FinalLoss}");
    }

    [Fact]
    public void Cancellation_stops_within_one_step_and_progress_reports_every_step()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 3);
        using var cancel = new CancellationTokenSource();
        var reports = new List<OptimizationProgress>();
        var progress = new SynchronousProgress<OptimizationProgress>(p =>
        {
            reports.Add(p);
            if (p.Step == 3) cancel.Cancel();
        });
        Assert.Throws<OperationCanceledException>(() => PixelOptimizer.Run(zeros([1, 3, 4, 4], dtype: ScalarType.Float64),
            problem.EvaluateWithGradient, new OptimizationSettings { Steps = 50 }, progress, "stage", cancel.Token));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Step));
        Assert.Equal(3, problem.Evaluations);
        Assert.All(reports, r => Assert.Equal("stage", r.Stage));
        Assert.True(reports[1].Loss < reports[0].Loss);
    }

    [Fact]
    public void The_start_tensor_is_not_modified()
    {
        using var scope = NewDisposeScope();
        using var problem = new Quadratic(48, 4);
        var start = zeros([1, 3, 4, 4], dtype: ScalarType.Float64);
        PixelOptimizer.Run(start, problem.EvaluateWithGradient, new OptimizationSettings { Steps = 5 });
        Assert.Equal(0, start.abs().sum().item<double>());
    }
}

/// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the callback on the optimiser's thread.</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
