using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.Core.Tests.Optimization;
using NeuralStyle.Core.Tests.Support;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Synthesis;

/// <summary>
/// Memory that grows with the number of steps or stages (#16), counted in tensors rather than in
/// resident bytes, so the tests are exact on a loaded machine: TorchSharp counts, per thread, every
/// tensor made and freed and every one that left the dispose scopes. The run is the real pipeline
/// (bundled ResNet-18, a real style image, L-BFGS), at a size that takes a few seconds.
/// </summary>
public class MemoryRetentionTests
{
    private static readonly string Style = RepositoryFiles.Example("wood-planks.jpg");

    /// <summary>
    /// A step may keep nothing it makes, once the L-BFGS history is full: every vector the optimiser
    /// keeps lives in a buffer made in its first steps. New long-lived tensors each step (a curvature
    /// pair, the previous gradient, the direction) fragmented glibc's heap so resident memory grew for as
    /// long as the run lasted (bench/README.md, "Memory against steps").
    /// </summary>
    [Fact]
    public void A_step_keeps_no_new_tensor_once_the_history_is_full()
    {
        var counts = new Dictionary<int, (long Live, long LeftScopes)>();
        Run(new SynthesisRequest { Styles = [new WeightedSource(Style)], Width = 64, Height = 64, StepsPerStage = 60, CoarseToFine = false },
            p =>
            {
                if (p.Phase == SynthesisPhase.Optimizing) counts[p.Step] = Counts();
            });

        // L-BFGS keeps 20 curvature pairs: full after 21 steps that each added one.
        Assert.Equal(counts[30].Live, counts[60].Live);
        Assert.Equal(counts[30].LeftScopes, counts[60].LeftScopes);
    }

    /// <summary>
    /// A stage may hand the next one its image and nothing else: the live tensors after the first step
    /// of every coarse-to-fine stage are as many as after the first stage's. Copies of each stage's start
    /// and result, left in the run's scope, were held until the whole run ended.
    /// </summary>
    [Fact]
    public void A_stage_holds_nothing_the_next_does_not_need()
    {
        var firstStep = new Dictionary<int, long>();
        Run(new SynthesisRequest { Styles = [new WeightedSource(Style)], Width = 128, Height = 128, Octaves = 3, StepsPerStage = 3 },
            p =>
            {
                if (p.Phase == SynthesisPhase.Optimizing && p.Step == 1) firstStep[p.Stage] = Counts().Live;
            });

        Assert.Equal([1, 2, 3], firstStep.Keys.Order());
        Assert.All(firstStep.Values, live => Assert.Equal(firstStep[1], live));
    }

    /// <summary>Tensors alive on this thread, and how many were ever made outside a scope or detached from one (they outlive any step).</summary>
    private static (long Live, long LeftScopes) Counts()
    {
        var stats = DisposeScopeManager.Statistics.TensorStatistics;
        return (stats.ThreadTotalLiveCount, stats.CreatedOutsideScopeCount + stats.DetachedFromScopeCount);
    }

    /// <summary>One synthesis on this thread (the counts are per thread), progress reported synchronously.</summary>
    private static void Run(SynthesisRequest request, Action<SynthesisProgress> onStep)
    {
        using var session = SynthesisSession.Open("resnet18", ComputeDevice.Cpu, threadCount: 1);
        var plan = session.Plan(request);
        using var result = session.Synthesize(plan, out _, new SynchronousProgress<SynthesisProgress>(onStep));
    }

}
