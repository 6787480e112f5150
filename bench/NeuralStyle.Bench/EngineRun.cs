using System.Diagnostics;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Evaluation;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Pyramids;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>One configuration through our engine, in a process of its own (so its peak memory is its own).</summary>
public static class EngineRun
{
    public static int Run(string configPath, string resultPath)
    {
        var config = Json.Read<BenchConfig>(configPath);
        torch.set_num_threads(config.Threads);
        var device = config.Device == "cuda" ? TorchRuntime.Resolve(ComputeDevice.Cuda) : torch.CPU;
        using var network = ResNet18Network.Load(config.Model, device);
        // Synthesis always runs with reflect padding (the plan's); targets and steps both see it.
        const NetworkPadding padding = NetworkPadding.Reflect;

        var layers = config.StyleLayers.Select(l => new StyleLayer(l.Name, l.Weight)).ToList();
        using var style = new RgbImage(RawTensorFile.Read(config.Inputs.Style).to(device));
        using var targets = StyleTargets.Compute(network, layers, [new StyleSource(style)], config.Octaves, padding);
        using var content = config.Inputs.Content is null ? null : ContentFeatures(network, config, padding);
        using var start = RawTensorFile.Read(config.Inputs.Start).to(device);
        var weights = new LossWeights(config.Weights.Content, config.Weights.Style, config.Weights.TotalVariation, config.Weights.Colour);

        var rssBefore = ProcessMemory.Rss;
        var setupPeak = ProcessMemory.Peak;
        ProcessMemory.ResetPeak();
        var seconds = new List<double>();
        var losses = new List<LossJson>();
        var clock = Stopwatch.StartNew();
        var previous = TimeSpan.Zero;
        Optimise(network, targets, content, weights, start, config.WarmupSteps + config.TimedSteps, config.TileSize,
            afterStep: () =>
            {
                // CUDA runs asynchronously: wait for the step's kernels before reading the clock.
                if (device.type == DeviceType.CUDA) torch.cuda.synchronize();
                seconds.Add((clock.Elapsed - previous).TotalSeconds);
                previous = clock.Elapsed;
            },
            onLoss: p => losses.Add(new LossJson(p.Content, p.Style, p.TotalVariation, p.Loss)));
        var peak = ProcessMemory.Peak;

        var timed = seconds.Skip(config.WarmupSteps).Order().ToArray();
        var result = new EngineResult("neuralstyle", $"TorchSharp {typeof(torch).Assembly.GetName().Version} / libtorch {torch.__version__}",
            config.Device, torch.get_num_threads(), losses[0], losses[^1], [.. seconds], Median(timed), rssBefore, setupPeak, peak);
        Json.Write(resultPath, result);
        Console.WriteLine($"  engine:    {config.Name}: median {result.MedianStepSeconds:F3} s/step, peak RSS {peak / 1048576.0:F0} MiB, " +
            $"loss0 {losses[0].Total:G8}");
        return 0;
    }

    /// <summary>
    /// The timed work, built the way the engine builds it: IEvaluator.EvaluateWithGradient (pyramid →
    /// network → losses → gradient; whole-image, or block-wise on tiles of <paramref name="tileSize"/>)
    /// and the L-BFGS update inside PixelOptimizer (lr 1, 20 pairs, one evaluation per step, as
    /// torch.optim.LBFGS with max_iter=1).
    /// </summary>
    private static void Optimise(IFeatureNetwork network, StyleTargets targets, ContentTarget? content, LossWeights weights,
        Tensor start, int steps, int tileSize, Action afterStep, Action<OptimizationProgress> onLoss)
    {
        var evaluator = Evaluator.For(network, Objective.For(targets, content, weights, PyramidBorder.Reflect, NetworkPadding.Reflect), tileSize);
        var settings = new OptimizationSettings { Kind = OptimizerKind.Lbfgs, Steps = steps, LearningRate = 1, HistorySize = 20 };
        using var result = PixelOptimizer.Run(start, pixels => evaluator.EvaluateWithGradient(pixels), settings, new Synchronous(onLoss), "bench",
            afterStep: (_, _) => afterStep()).Image;
    }

    /// <summary>The content image's features at the content layer, as the synthesiser computes them (octave 0).</summary>
    private static ContentTarget ContentFeatures(IFeatureNetwork network, BenchConfig config, NetworkPadding padding)
    {
        using var scope = NewDisposeScope();
        var image = RawTensorFile.Read(config.Inputs.Content!).to(network.Device);
        return ContentTarget.Read(network, image, config.ContentLayer, padding);
    }

    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    // Progress<T> posts to the thread pool; the losses must be recorded in step order, on this thread.
    private sealed class Synchronous(Action<OptimizationProgress> report) : IProgress<OptimizationProgress>
    {
        public void Report(OptimizationProgress value) => report(value);
    }
}
