using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Synthesis;
using TorchSharp;

namespace NeuralStyle.Bench;

/// <summary>
/// Memory against steps: one synthesis through the engine's own pipeline (SynthesisSession: plan,
/// targets, coarse-to-fine stages, L-BFGS), sampling every N steps and at every stage boundary the
/// resident size, the live TorchSharp tensors of this thread, and glibc's heap (in use vs. freed but
/// held). A flat curve after the L-BFGS history has filled (20 pairs) means nothing is retained per step.
/// </summary>
public static class MemoryCurve
{
    public sealed record Sample(string Event, int Stage, int Width, int Step, double Seconds, long RssBytes, long PeakRssBytes, long LiveTensors,
        long HeapInUseBytes, long HeapFreeBytes, long MappedBytes);

    public static int Run(string root, string task, int size, int steps, int every, bool coarseToFine, string? markdownPath, int? tileSize = null)
    {
        var style = Path.Combine(root, "examples", "wood-planks.jpg");
        var content = Path.Combine(root, "examples", "cat.jpg");
        var request = new SynthesisRequest
        {
            Styles = [new WeightedSource(style)],
            Content = task == "transfer" ? new ContentPart(content, size) : null,
            Init = task == "transfer" ? InitKind.Content : InitKind.Noise,
            Width = size,
            Height = size,
            StepsPerStage = steps,
            CoarseToFine = coarseToFine,
            TileSize = tileSize,
            Seed = 1,
        };
        var samples = new List<Sample>();
        var clock = Stopwatch.StartNew();
        void Take(string what, int stage, int width, int step)
        {
            samples.Add(new Sample(what, stage, width, step, clock.Elapsed.TotalSeconds, ProcessMemory.Rss, ProcessMemory.Peak,
                DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount, NativeHeap.InUse, NativeHeap.Free, NativeHeap.Mapped));
            Console.Error.WriteLine(Row(samples[^1])); // as it happens: a long run shows its curve while it runs
        }

        using (var session = SynthesisSession.Open("auto", ComputeDevice.Cpu))
        {
            var plan = session.Plan(request);
            Take("start", 0, 0, 0);
            var progress = new Synchronous<SynthesisProgress>(p =>
            {
                if (p.Phase != SynthesisPhase.Optimizing) return;
                if (p.Step == 1 || p.Step % every == 0 || p.Step == p.Steps) Take(p.Step == p.Steps ? "stage end" : "step", p.Stage, p.Width, p.Step);
            });
            using var result = session.Synthesize(plan, out _, progress);
            Take("result", plan.Stages.Count, plan.Width, result.Steps);
        }
        Take("session closed", 0, 0, 0);

        var table = Table(samples, task, size, steps, coarseToFine, tileSize);
        Console.WriteLine(table);
        if (markdownPath is not null) File.WriteAllText(markdownPath, table + Environment.NewLine);
        return 0;
    }

    public static string Table(IReadOnlyList<Sample> samples, string task, int size, int steps, bool coarseToFine, int? tileSize = null)
    {
        var lines = new List<string>
        {
            $"Memory against steps: {task} {size} px, {steps} steps per stage, {(coarseToFine ? "coarse to fine" : "one stage")}{(tileSize is int t ? $", -TileSize {t}" : "")} " +
            $"(TorchSharp {typeof(torch).Assembly.GetName().Version}, {torch.get_num_threads()} threads)",
            "",
            "| event | stage | size | step | time (s) | RSS (MiB) | peak RSS so far (MiB) | live tensors | heap in use (MiB) | heap free, held (MiB) | mmapped (MiB) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        };
        lines.AddRange(samples.Select(Row));
        return string.Join(Environment.NewLine, lines);
    }

    private static string Row(Sample s) => string.Create(CultureInfo.InvariantCulture,
        $"| {s.Event} | {s.Stage} | {s.Width} | {s.Step} | {s.Seconds:F1} | {s.RssBytes / 1048576.0:F0} | {s.PeakRssBytes / 1048576.0:F0} | {s.LiveTensors} | " +
        $"{s.HeapInUseBytes / 1048576.0:F0} | {s.HeapFreeBytes / 1048576.0:F0} | {s.MappedBytes / 1048576.0:F0} |");
}

/// <summary>Calls back on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class Synchronous<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
