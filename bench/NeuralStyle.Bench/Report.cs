using System.Globalization;
using System.Text;

namespace NeuralStyle.Bench;

/// <summary>One engine's numbers in a row.</summary>
public sealed record Side(
    string Engine,
    string Version,
    int Threads,
    double MedianStepSeconds,
    double[] StepSeconds,
    double MegapixelStepsPerSecond,
    double Gflops,
    double PeakFraction,
    long PeakRssBytes,
    long RssBeforeStepsBytes,
    long SetupPeakRssBytes,
    LossJson Loss0,
    LossJson LossLast,
    long? GpuPeakAllocatedBytes);

/// <summary>
/// One measured configuration. <see cref="Mode"/> says how the engine evaluated the objective
/// ("whole-image" here); rows of other modes (e.g. block-wise evaluation) can be appended to the
/// same list, with <see cref="Reference"/> null where the reference has no counterpart.
/// </summary>
public sealed record BenchRow(
    string Mode,
    string Device,
    string Task,
    int Size,
    int Octaves,
    long Pixels,
    int WarmupSteps,
    int TimedSteps,
    double GflopPerStep,
    Side Engine,
    Side? Reference,
    double? TimeRatio,
    double? MemoryRatio,
    double? Loss0RelativeDifference,
    double? LossLastRelativeDifference,
    double OtherLoadCores);

/// <summary>One point of the memory-versus-pixels curve (our engine only).</summary>
public sealed record CurvePoint(string Mode, string Task, int Size, long Pixels, int Octaves, double StepSeconds, long PeakRssBytes, double Loss0);

public sealed record BenchReport(
    int Schema,
    MachineInfo Machine,
    IReadOnlyList<PeakResult> MatmulPeaks,
    string FlopCountingRule,
    string MemoryRule,
    string TimeRule,
    string OtherLoadRule,
    double OtherLoadCores,
    IReadOnlyList<BenchRow> Rows,
    IReadOnlyList<CurvePoint> MemoryCurve,
    IReadOnlyList<JobRow> Jobs);

/// <summary>A whole default job, ours against the reference running the same schedule; times are process start to exit.</summary>
public sealed record JobRow(string Task, int Size, int StepsPerStage, IReadOnlyList<JobStageJson> Stages, double Seconds, double ReferenceSeconds,
    double TimeRatio, JobResult Engine, JobResult Reference, double MemoryRatio, double Loss0RelativeDifference, double OtherLoadCores);

public static class Report
{
    public const string MemoryRule =
        "Peak resident set size (VmHWM) of a process that ran only this configuration, reset (clear_refs) after the network was " +
        "loaded and the style targets were computed, so it is the most memory resident at once during the optimisation steps, " +
        "runtime and weights included. rssBeforeSteps is the resident size just before the first step, setupPeakRss the peak of " +
        "the loading and target computation before the reset.";

    public const string TimeRule =
        "Median wall time of the timed steps after the warm-up steps; one step = one objective evaluation (all pyramid levels " +
        "through the network, all losses), its backward to the pixels and one L-BFGS update (history 20, no line search). " +
        "MPix·steps/s = output megapixels / median step time.";

    public const string OtherLoadRule =
        "CPU used by other processes while a row (or the whole run) was measured, in cores on average: the machine's busy " +
        "time from /proc/stat minus the bench's own and its children's. Above 0.2 the timings of that row are suspect.";

    /// <summary>Other processes' average core use above which a timing is not trusted.</summary>
    public const double BusyCores = 0.2;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] Headers =
    [
        "Device", "Task", "Size", "Oct", "GFLOP/step", "Ours s/step", "Ref s/step", "Time ours/ref", "Ours MPix·st/s", "Ref MPix·st/s",
        "Ours GFLOP/s (peak)", "Ref GFLOP/s (peak)", "Ours peak MiB", "Ref peak MiB", "Mem ours/ref", "Loss0 rel.diff", "Other load",
    ];

    private static string[] Cells(BenchRow r) =>
    [
        r.Device, r.Task, $"{r.Size}²", r.Octaves.ToString(Inv), F(r.GflopPerStep, 1),
        F(r.Engine.MedianStepSeconds, 3), F(r.Reference?.MedianStepSeconds, 3), F(r.TimeRatio, 2),
        F(r.Engine.MegapixelStepsPerSecond, 3), F(r.Reference?.MegapixelStepsPerSecond, 3),
        $"{F(r.Engine.Gflops, 1)} ({Percent(r.Engine.PeakFraction)})",
        r.Reference is null ? "–" : $"{F(r.Reference.Gflops, 1)} ({Percent(r.Reference.PeakFraction)})",
        Mib(r.Engine.PeakRssBytes), r.Reference is null ? "–" : Mib(r.Reference.PeakRssBytes), F(r.MemoryRatio, 2),
        r.Loss0RelativeDifference is { } d ? d.ToString("0.0e+0", Inv) : "–",
        F(r.OtherLoadCores, 2) + (r.OtherLoadCores > BusyCores ? " (busy)" : ""),
    ];

    /// <summary>A plain fixed-width table for the console.</summary>
    public static string ConsoleTable(IReadOnlyList<BenchRow> rows)
    {
        var all = new[] { Headers }.Concat(rows.Select(Cells)).ToList();
        var widths = Enumerable.Range(0, Headers.Length).Select(i => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var (cells, index) in all.Select((c, i) => (c, i)))
        {
            text.AppendLine(string.Join("  ", cells.Select((c, i) => i < 4 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))));
            if (index == 0) text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        }
        return text.ToString();
    }

    /// <summary>Peak memory against pixels, whole-image next to block-wise, per task.</summary>
    public static string CurveTable(IReadOnlyList<CurvePoint> points)
    {
        var text = new StringBuilder();
        text.AppendLine("| Task | Size | Pixels | Oct | Whole-image peak MiB | Whole s/step | Block-wise peak MiB | Block-wise s/step | Block-wise mode |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var group in points.GroupBy(p => (p.Task, p.Size)))
        {
            var whole = group.First(p => p.Mode == "whole-image");
            var tiled = group.First(p => p.Mode != "whole-image");
            text.AppendLine($"| {group.Key.Task} | {group.Key.Size}² | {whole.Pixels:N0} | {whole.Octaves} | {whole.PeakRssBytes / 1048576.0:F0} | " +
                $"{whole.StepSeconds:F2} | {tiled.PeakRssBytes / 1048576.0:F0} | {tiled.StepSeconds:F2} | {tiled.Mode} |");
        }
        return text.ToString();
    }

    /// <summary>Whole jobs: wall time and peak memory of each process, and the resident size when each stage ended.</summary>
    public static string JobTable(IReadOnlyList<JobRow> jobs)
    {
        var text = new StringBuilder();
        text.AppendLine("| Job | Stages (px × steps) | Ours s | Ref s | Time ours/ref | Ours peak MiB | Ref peak MiB | Mem ours/ref | " +
            "RSS at stage ends, ours / ref (MiB) | First loss rel.diff | Other load |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        foreach (var j in jobs)
        {
            var cmdlet = j.Task == "transfer" ? $"New-StyleTransfer -MaxSize {j.Size}" : $"New-NeuralTexture -Size {j.Size}";
            var stages = string.Join(", ", j.Stages.Select(s => $"{s.Width}×{s.Steps}{(s.TileSize > 0 ? " (tiles)" : "")}"));
            var rss = string.Join(", ", j.Engine.Stages.Zip(j.Reference.Stages, (o, r) => $"{Mib(o.RssBytes)} / {Mib(r.RssBytes)}"));
            text.AppendLine($"| {cmdlet} | {stages} | {F(j.Seconds, 1)} | {F(j.ReferenceSeconds, 1)} | {F(j.TimeRatio, 2)} | " +
                $"{Mib(j.Engine.PeakRssBytes)} | {Mib(j.Reference.PeakRssBytes)} | {F(j.MemoryRatio, 2)} | {rss} | " +
                $"{j.Loss0RelativeDifference.ToString("0.0e+0", Inv)} | {F(j.OtherLoadCores, 2)}{(j.OtherLoadCores > BusyCores ? " (busy)" : "")} |");
        }
        return text.ToString();
    }

    public static string Markdown(BenchReport report)
    {
        var m = report.Machine;
        var text = new StringBuilder();
        text.AppendLine("# NeuralStyle bench: our engine vs. a PyTorch reference doing identical work");
        text.AppendLine();
        text.AppendLine($"Measured {m.Date} on {m.Cpu}, {m.LogicalCores} logical cores, {m.MemoryBytes / (1024.0 * 1024 * 1024):F1} GiB RAM, {m.Os}" +
            (m.CudaDevice is null ? "." : $", GPU {m.CudaDevice}."));
        text.AppendLine($"Ours: NeuralStyle.Core on TorchSharp {m.TorchSharp} (libtorch {m.LibTorch}), {m.DotNet}, {m.EngineThreads} threads. " +
            $"Reference: bench/reference.py on PyTorch {m.PythonTorch} ({m.ReferenceParallelBackend}), set to the same thread count " +
            $"(its default here: {m.ReferenceDefaultThreads}). Load average (1, 5, 15 min) before the run: {m.LoadAverageAtStart}; " +
            $"other processes used {report.OtherLoadCores:F2} cores on average during it.");
        if (report.OtherLoadCores > BusyCores || report.Rows.Any(r => r.OtherLoadCores > BusyCores))
            text.AppendLine("**Other work ran on the machine during this run (rows marked busy): their timings and GFLOP/s are not reliable; " +
                "losses and memory are.**");
        text.AppendLine();
        text.AppendLine("fp32 matmul peak (best of 8 square matmuls): " +
            string.Join("; ", report.MatmulPeaks.Select(p => $"{p.Engine} on {p.Device}: {p.Gflops:F1} GFLOP/s (n = {p.N})")) +
            ". \"peak\" columns are fractions of the higher of the two for that device.");
        text.AppendLine();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Join("|", Headers.Select((_, i) => i < 4 ? "---" : "---:")) + "|");
        foreach (var row in report.Rows) text.AppendLine("| " + string.Join(" | ", Cells(row)) + " |");
        text.AppendLine();
        text.AppendLine("Every row: style `wood-planks.jpg` (transfer: content `cat.jpg`), Gram loss on stem, layer1, layer2, layer3 " +
            "(transfer adds content on layer2), total variation, reflect padding, mode " +
            string.Join("/", report.Rows.Select(r => r.Mode).Distinct()) + ". Steps per row: " +
            string.Join(", ", report.Rows.Select(r => $"{r.Size}²: {r.WarmupSteps}+{r.TimedSteps}").Distinct()) + " (warm-up + timed).");
        text.AppendLine();
        if (report.MemoryCurve.Count > 0)
        {
            text.AppendLine("## Memory against output size (our engine; one warm-up and one timed step per point, each in its own process)");
            text.AppendLine();
            text.Append(CurveTable(report.MemoryCurve));
            text.AppendLine();
            text.AppendLine("Block-wise evaluation gives the same loss and gradient (tested in CI). Its network memory is one tile's; the image, " +
                "its gradient, the pyramid and the L-BFGS history (about 530 bytes per pixel) still grow with the output.");
            text.AppendLine();
        }
        if (report.Jobs.Count > 0)
        {
            text.AppendLine("## Whole jobs (the cmdlets' defaults, coarse to fine; each engine in its own process)");
            text.AppendLine();
            text.Append(JobTable(report.Jobs));
            text.AppendLine();
            text.AppendLine("Ours: the calls the cmdlet makes for one item (SynthesisSession.Open with resnet18, Plan, Synthesize, PNG write), " +
                "seed 1, every default weight (the colour term included). Reference: bench/reference.py `job`, the same plan's stages (bicubic ×2 upsampling, the style's octaves from each " +
                "stage's offset, the content's level at it), the same inputs and start image. Time: process start to exit. Peak: VmHWM " +
                "of the whole process, all stages. The reference evaluates every stage whole-image; a stage marked (tiles) runs block-wise in ours.");
            text.AppendLine();
        }
        text.AppendLine($"* Time: {report.TimeRule}");
        text.AppendLine($"* FLOPs: {report.FlopCountingRule}");
        text.AppendLine($"* Memory: {report.MemoryRule}");
        text.AppendLine($"* Other load: {report.OtherLoadRule}");
        text.AppendLine("* Loss0 rel.diff: |ours − reference| / max(|ours|, |reference|) of the total loss at the common start image; " +
            "the bench fails when it, or the same for any term (style, content, TV), is above 1e-4.");
        return text.ToString();
    }

    /// <summary>A 1-minute load average above 0.5 on an otherwise idle machine means someone else is computing.</summary>
    public static bool IsBusy(string loadAverage) =>
        double.TryParse(loadAverage.Split(' ')[0], NumberStyles.Float, Inv, out var load) && load > 0.5;

    private static string F(double? value, int decimals) => value is { } v ? v.ToString("F" + decimals, Inv) : "–";

    private static string Percent(double fraction) => (fraction * 100).ToString("F0", Inv) + "%";

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F0", Inv);
}
