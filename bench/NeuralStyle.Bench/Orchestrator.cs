using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>What to run; see <see cref="Program"/> for the command line.</summary>
public sealed record BenchOptions(
    string Root,
    int[] Sizes,
    int[] Octaves,
    string[] Tasks,
    string Python,
    (int Warmup, int Timed)? Steps,
    string[]? Devices,
    int[] CurveSizes,
    int CurveTileSize,
    IReadOnlyList<(string Task, int Size)> Jobs,
    int JobStepsPerStage);

/// <summary>
/// Runs every configuration once through our engine and once through the PyTorch reference, each
/// in a fresh process, checks that both computed the same loss on the same inputs, and writes the
/// table. This process only prepares inputs and collects results, so its own memory counts nowhere.
/// </summary>
public static class Orchestrator
{
    private const double LossTolerance = 1e-4;
    private const int Seed = 1;
    private const double StartNoise = 0.2; // the engine's noise init: mean colour + 0.2·N(0,1), clamped

    public static int Run(BenchOptions options)
    {
        var root = options.Root;
        var work = Path.Combine(root, "out", "bench");
        var resultsDir = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(resultsDir);
        var script = Path.Combine(root, "bench", "reference.py");
        var model = ModelFiles.ResNet18Path;
        var stylePath = Path.Combine(root, "examples", "wood-planks.jpg");
        var contentPath = Path.Combine(root, "examples", "cat.jpg");
        var profile = NetworkProfiles.ResNet18;

        var activity = new OtherLoad();
        var reference = Json.Deserialize<ReferenceInfo>(Capture(options.Python, [script, "info"]));
        var devices = options.Devices ?? (torch.cuda.is_available() && reference.CudaAvailable ? ["cpu", "cuda"] : ["cpu"]);
        var machine = MachineInfo.Collect(reference, devices.Contains("cuda") ? reference.CudaDevice : null);
        var threads = machine.EngineThreads;
        Console.WriteLine($"Machine: {machine.Cpu}, {machine.LogicalCores} cores; load average {machine.LoadAverageAtStart}");
        Console.WriteLine($"Ours: TorchSharp {machine.TorchSharp} / libtorch {machine.LibTorch}, {threads} threads. " +
            $"Reference: torch {reference.Torch} (default {reference.DefaultThreads} threads), run with {threads}.");
        if (Report.IsBusy(machine.LoadAverageAtStart))
            Console.WriteLine($"WARNING: the machine is not idle (load average {machine.LoadAverageAtStart}); timings will be noisy.");

        var peaks = new List<PeakResult>();
        foreach (var device in devices)
        {
            var ours = Path.Combine(work, $"peak-{device}-ours.json");
            var theirs = Path.Combine(work, $"peak-{device}-reference.json");
            RunChild(SelfCommand(["peak", device, threads.ToString(CultureInfo.InvariantCulture), ours]));
            RunChild([options.Python, script, "peak", device, threads.ToString(CultureInfo.InvariantCulture), theirs]);
            peaks.Add(Json.Read<PeakResult>(ours));
            peaks.Add(Json.Read<PeakResult>(theirs));
        }

        var rows = new List<BenchRow>();
        foreach (var device in devices)
        {
            var machinePeak = peaks.Where(p => p.Device == device).Max(p => p.Gflops);
            foreach (var size in options.Sizes)
            {
                var inputs = PrepareInputs(work, size, stylePath, contentPath, root, GaussianPyramid.MaxOctaves(size, size, profile.MinimumSide));
                foreach (var requestedOctaves in options.Octaves.Distinct())
                {
                    // A quick small run cannot hold 4 octaves above the network's minimum side: use what fits.
                    var octaves = Math.Min(requestedOctaves, GaussianPyramid.MaxOctaves(size, size, profile.MinimumSide));
                    if (rows.Any(r => r.Device == device && r.Size == size && r.Octaves == octaves)) continue;
                    foreach (var task in options.Tasks)
                    {
                        var (warmup, timed) = options.Steps ?? DefaultSteps(size);
                        var name = $"{device}-{task}-{size}px-{octaves}oct";
                        var weights = task == "transfer" ? profile.TransferWeights : profile.TextureWeights;
                        var config = new BenchConfig(name, device, task, size, octaves, threads, warmup, timed, 1, 20,
                            new WeightsJson(weights.Content, weights.Style, weights.TotalVariation, weights.Colour),
                            [.. profile.StyleLayers.Select(l => new LayerJson(l.Name, l.Weight))], profile.ContentLayer, model,
                            new InputsJson(inputs.Style, task == "transfer" ? inputs.Content : null,
                                task == "transfer" ? inputs.TransferStart : inputs.TextureStart, inputs.ColourDirections, inputs.ColourPixels));
                        rows.Add(Measure(config, work, options.Python, script, machinePeak, profile));
                        // A run cut short still leaves what it measured (bench/results only gets complete runs).
                        Write(new BenchReport(1, machine, peaks, ConvFlops.Rule, Report.MemoryRule, Report.TimeRule, Report.OtherLoadRule,
                            activity.Cores(), rows, [], []), work, "partial");
                    }
                }
            }
        }

        var curve = options.CurveSizes.Length == 0 ? [] : MemoryCurve(options, work, root, stylePath, contentPath, model, threads, profile);
        var jobs = options.Jobs.Select(j => Job(j.Task, j.Size, options.JobStepsPerStage, work, options.Python, script, stylePath, contentPath,
            model, threads, profile)).ToList();

        var report = new BenchReport(1, machine, peaks, ConvFlops.Rule, Report.MemoryRule, Report.TimeRule, Report.OtherLoadRule,
            activity.Cores(), rows, curve, jobs);
        Console.WriteLine();
        Console.WriteLine(Report.ConsoleTable(rows));
        if (curve.Count > 0) Console.WriteLine(Report.CurveTable(curve));
        if (jobs.Count > 0) Console.WriteLine(Report.JobTable(jobs));
        Console.WriteLine($"Other processes used {report.OtherLoadCores:F2} cores on average during the run" +
            (report.OtherLoadCores > Report.BusyCores ? ": TIMINGS ARE NOT RELIABLE." : "."));
        Write(report, resultsDir, "latest");
        Console.WriteLine($"Written: {Path.Combine(resultsDir, "latest.md")} and latest.json");
        return 0;
    }

    private static void Write(BenchReport report, string directory, string name)
    {
        Json.Write(Path.Combine(directory, name + ".json"), report);
        File.WriteAllText(Path.Combine(directory, name + ".md"), Report.Markdown(report));
    }

    /// <summary>
    /// Peak memory against output size, whole-image and block-wise, our engine only (the reference has
    /// no block-wise mode): one warm-up and one timed step per point, each in its own process.
    /// </summary>
    private static List<CurvePoint> MemoryCurve(BenchOptions options, string work, string root, string stylePath, string contentPath,
        string model, int threads, NetworkProfile profile)
    {
        var points = new List<CurvePoint>();
        foreach (var size in options.CurveSizes)
        {
            var inputs = PrepareInputs(work, size, stylePath, contentPath, root, GaussianPyramid.MaxOctaves(size, size, profile.MinimumSide));
            var octaves = Math.Min(4, GaussianPyramid.MaxOctaves(size, size, profile.MinimumSide));
            foreach (var task in options.Tasks)
            {
                foreach (var tile in new[] { 0, options.CurveTileSize })
                {
                    var mode = tile == 0 ? "whole-image" : $"block-wise {tile} px";
                    var name = $"curve-{task}-{size}px-{(tile == 0 ? "whole" : "tiles")}";
                    var weights = task == "transfer" ? profile.TransferWeights : profile.TextureWeights;
                    var config = new BenchConfig(name, "cpu", task, size, octaves, threads, 1, 1, 1, 20,
                        new WeightsJson(weights.Content, weights.Style, weights.TotalVariation, weights.Colour),
                        [.. profile.StyleLayers.Select(l => new LayerJson(l.Name, l.Weight))], profile.ContentLayer, model,
                        new InputsJson(inputs.Style, task == "transfer" ? inputs.Content : null,
                            task == "transfer" ? inputs.TransferStart : inputs.TextureStart, inputs.ColourDirections, inputs.ColourPixels), tile);
                    Console.WriteLine($"{name}: memory curve point");
                    var configPath = Path.Combine(work, name + ".config.json");
                    var resultPath = Path.Combine(work, name + ".ours.json");
                    Json.Write(configPath, config);
                    RunChild(SelfCommand(["engine", configPath, resultPath]));
                    var result = Json.Read<EngineResult>(resultPath);
                    points.Add(new CurvePoint(mode, task, size, (long)size * size, octaves, result.MedianStepSeconds, result.PeakRssBytes,
                        result.Loss0.Total));
                }
            }
        }
        return points;
    }

    /// <summary>
    /// A whole default job end to end, ours and the reference's, each in a process of its own and timed
    /// from start to exit: ours plans it as the cmdlet does; the reference runs that plan's stages on the
    /// same prepared inputs (the styles and content as the engine sizes them, the engine's own start image).
    /// </summary>
    private static JobRow Job(string task, int size, int stepsPerStage, string work, string python, string script, string stylePath,
        string contentPath, string model, int threads, NetworkProfile profile)
    {
        var name = $"job-{task}-{size}px";
        var dir = Path.Combine(work, "jobs", name);
        Directory.CreateDirectory(dir);
        var plan = SynthesisPlanner.Plan(JobRun.Request(task, size, stepsPerStage, stylePath, task == "transfer" ? contentPath : null), profile);
        var stages = plan.Stages.Select(p => new JobStageJson(p.Stage.Width, p.Stage.Height, p.Stage.StyleOctaveOffset, p.Stage.Steps, p.TileSize)).ToList();
        var inputs = PrepareJobInputs(dir, plan, stylePath, contentPath);
        var config = new JobConfig(name, "cpu", task, size, stepsPerStage, threads, stylePath, task == "transfer" ? contentPath : null,
            Path.Combine(dir, "ours.png"), plan.Octaves, stages, 1, 20,
            new WeightsJson(plan.Weights.Content, plan.Weights.Style, plan.Weights.TotalVariation, plan.Weights.Colour),
            [.. plan.StyleLayers.Select(l => new LayerJson(l.Name, l.Weight))], plan.ContentLayer, model, inputs);
        Console.WriteLine($"{name}: {string.Join(", ", stages.Select(s => $"{s.Width}x{s.Height}×{s.Steps}{(s.TileSize > 0 ? $" (tiles {s.TileSize})" : "")}"))}");
        var activity = new OtherLoad();
        var configPath = Path.Combine(dir, "config.json");
        Json.Write(configPath, config);
        var oursSeconds = TimedChild(SelfCommand(["job", configPath, Path.Combine(dir, "ours.json")]));
        var theirsSeconds = TimedChild([python, script, "job", configPath, Path.Combine(dir, "reference.json")]);
        var ours = Json.Read<JobResult>(Path.Combine(dir, "ours.json"));
        var theirs = Json.Read<JobResult>(Path.Combine(dir, "reference.json"));
        // Same start, same objective: the first evaluation agrees, or the two did different work.
        var loss0 = Relative(ours.Stages[0].FirstLoss, theirs.Stages[0].FirstLoss);
        Console.WriteLine($"  {name}: ours {oursSeconds:F1} s, {ours.PeakRssBytes / 1048576.0:F0} MiB; reference {theirsSeconds:F1} s, " +
            $"{theirs.PeakRssBytes / 1048576.0:F0} MiB; first loss relative difference {loss0:0.0e+0}");
        if (!(loss0 <= LossTolerance))
            throw new BenchFailedException($"{name}: the first losses differ by {loss0:0.00e+0} (ours {ours.Stages[0].FirstLoss}, reference " +
                $"{theirs.Stages[0].FirstLoss}): the engines did not start the same job.");
        return new JobRow(task, size, stepsPerStage, stages, oursSeconds, theirsSeconds, oursSeconds / theirsSeconds, ours, theirs,
            (double)ours.PeakRssBytes / theirs.PeakRssBytes, loss0, activity.Cores());
    }

    /// <summary>
    /// The job's images as our engine prepares them: a texture's style as decoded; a transfer's content
    /// resized to the output and style scaled to the plan's style size. A texture's start is the
    /// engine's noise (style mean + 0.2·N(0,1) from the seed's generator, clamped); a transfer starts
    /// from the content's coarsest stage level, which the reference computes itself ("content").
    /// </summary>
    private static InputsJson PrepareJobInputs(string dir, SynthesisPlan plan, string stylePath, string contentPath)
    {
        using var scope = NewDisposeScope();
        using var style = ImageCodec.Read(stylePath);
        var styleFile = Path.Combine(dir, "style.f32");
        if (!plan.IsTransfer)
        {
            RawTensorFile.Write(style.Rgb, styleFile, Path.GetFileName(stylePath));
            var first = plan.Stages[0].Stage;
            var noise = style.Rgb.mean([0, 2, 3]).mul(1.0).reshape(1, 3, 1, 1)
                .add(randn([1, 3, first.Height, first.Width], generator: new Generator((ulong)plan.Request.Seed, CPU)).mul(StartNoise)).clamp(0, 1);
            var startFile = Path.Combine(dir, "start.f32");
            RawTensorFile.Write(noise, startFile, $"seed {plan.Request.Seed}: style mean + {StartNoise}·N(0,1), clamped (the engine's noise init)");
            var (directions, pixels) = WriteColourInputs(dir, style.Rgb, plan.Octaves);
            return new InputsJson(styleFile, null, startFile, directions, pixels);
        }
        using var content = ImageCodec.Read(contentPath);
        var contentFile = Path.Combine(dir, "content.f32");
        RawTensorFile.Write(Resampler.Resize(content.Rgb, plan.Width, plan.Height), contentFile, Path.GetFileName(contentPath));
        var (w, h) = Resampler.ScaleTo(style.Width, style.Height, plan.StyleLongSide!.Value);
        var scaled = Resampler.Resize(style.Rgb, w, h);
        RawTensorFile.Write(scaled, styleFile, Path.GetFileName(stylePath));
        var (colourDirections, colourPixels) = WriteColourInputs(dir, scaled, plan.Octaves);
        return new InputsJson(styleFile, contentFile, "content", colourDirections, colourPixels);
    }

    /// <summary>Fewer steps where one step takes seconds: the default sizes take about 6 minutes on 2 cores (without the memory curve).</summary>
    private static (int Warmup, int Timed) DefaultSteps(int size) => size switch
    {
        <= 256 => (3, 15),
        <= 512 => (2, 10),
        _ => (2, 6),
    };

    private static BenchRow Measure(BenchConfig config, string work, string python, string script, double machinePeak, NetworkProfile profile)
    {
        Console.WriteLine($"{config.Name}: {config.WarmupSteps} warm-up + {config.TimedSteps} timed steps");
        var activity = new OtherLoad();
        var configPath = Path.Combine(work, config.Name + ".config.json");
        var oursPath = Path.Combine(work, config.Name + ".ours.json");
        var theirsPath = Path.Combine(work, config.Name + ".reference.json");
        Json.Write(configPath, config);
        RunChild(SelfCommand(["engine", configPath, oursPath]));
        RunChild([python, script, "run", configPath, theirsPath]);
        var ours = Json.Read<EngineResult>(oursPath);
        var theirs = Json.Read<EngineResult>(theirsPath);

        // Identical work or the comparison means nothing: same loss at the common start, same convolutions.
        var lossDiff = Relative(ours.Loss0.Total, theirs.Loss0.Total);
        Console.WriteLine($"  loss at step 0: ours {ours.Loss0.Total:G10}, reference {theirs.Loss0.Total:G10}, relative difference {lossDiff:0.00e+0} " +
            $"(style {Relative(ours.Loss0.Style, theirs.Loss0.Style):0.0e+0}, content {Relative(ours.Loss0.Content, theirs.Loss0.Content):0.0e+0}, " +
            $"TV {Relative(ours.Loss0.TotalVariation, theirs.Loss0.TotalVariation):0.0e+0})");
        // Each term too: from a noise start the TV term dominates the total and would hide a wrong style loss.
        var worst = new[] { lossDiff, Relative(ours.Loss0.Style, theirs.Loss0.Style), Relative(ours.Loss0.Content, theirs.Loss0.Content),
            Relative(ours.Loss0.TotalVariation, theirs.Loss0.TotalVariation) }.Max();
        if (!(worst <= LossTolerance))
            throw new BenchFailedException($"{config.Name}: the step-0 losses differ by up to {worst:0.00e+0} (tolerance {LossTolerance:0e+0}): " +
                $"ours {ours.Loss0}, reference {theirs.Loss0}. The engines do not compute the same objective.");
        var deepest = profile.StyleLayers.Select(l => l.Name).Append(profile.ContentLayer).MaxBy(l => l == "stem" ? 0 : int.Parse(l[5..], CultureInfo.InvariantCulture))!;
        var forward = ConvFlops.ForwardPerStep(config.Size, config.Size, config.Octaves, deepest);
        if (theirs.ConvFlopsForwardPerStep != forward)
            throw new BenchFailedException($"{config.Name}: the reference ran {theirs.ConvFlopsForwardPerStep} forward conv FLOPs per step, our count is {forward}.");

        var flopsPerStep = 2.0 * forward;
        var pixels = (long)config.Size * config.Size;
        Side ToSide(EngineResult r) => new(r.Engine, r.Version, r.Threads, r.MedianStepSeconds, r.StepSeconds, pixels / 1e6 / r.MedianStepSeconds,
            flopsPerStep / r.MedianStepSeconds / 1e9, flopsPerStep / r.MedianStepSeconds / 1e9 / machinePeak, r.PeakRssBytes,
            r.RssBeforeStepsBytes, r.SetupPeakRssBytes, r.Loss0, r.LossLast, r.GpuPeakAllocatedBytes);
        return new BenchRow("whole-image", config.Device, config.Task, config.Size, config.Octaves, pixels, config.WarmupSteps, config.TimedSteps,
            flopsPerStep / 1e9, ToSide(ours), ToSide(theirs), ours.MedianStepSeconds / theirs.MedianStepSeconds,
            (double)ours.PeakRssBytes / theirs.PeakRssBytes, lossDiff, Relative(ours.LossLast.Total, theirs.LossLast.Total), activity.Cores());
    }

    private static double Relative(double a, double b) => a == b ? 0 : Math.Abs(a - b) / Math.Max(Math.Abs(a), Math.Abs(b));

    private sealed record Inputs(string Style, string Content, string TextureStart, string TransferStart, string ColourDirections,
        IReadOnlyList<string> ColourPixels);

    /// <summary>
    /// The images both engines read, as raw float32: style and content centre-cropped to a square and
    /// resized with the engine's resampler; starts = the engine's noise init around the style's
    /// (texture) or content's (transfer) mean colour, from a fixed seed.
    /// </summary>
    private static Inputs PrepareInputs(string work, int size, string stylePath, string contentPath, string root, int octaves)
    {
        var dir = Path.Combine(work, "inputs", $"{size}px");
        Directory.CreateDirectory(dir);
        using var scope = NewDisposeScope();
        using var styleImage = ImageCodec.Read(stylePath);
        using var contentImage = ImageCodec.Read(contentPath);
        var style = Square(styleImage.Rgb, size);
        var content = Square(contentImage.Rgb, size);
        var generator = new Generator(Seed, CPU);
        Tensor Noise(Tensor around) =>
            around.mean([2, 3], keepdim: true).add(randn([1, 3, size, size], generator: generator).mul(StartNoise)).clamp(0, 1);
        var (directions, pixels) = WriteColourInputs(dir, style, octaves);
        var inputs = new Inputs(Path.Combine(dir, "style.f32"), Path.Combine(dir, "content.f32"),
            Path.Combine(dir, "start-texture.f32"), Path.Combine(dir, "start-transfer.f32"), directions, pixels);
        RawTensorFile.Write(style, inputs.Style, Path.GetRelativePath(root, stylePath));
        RawTensorFile.Write(content, inputs.Content, Path.GetRelativePath(root, contentPath));
        RawTensorFile.Write(Noise(style), inputs.TextureStart, $"seed {Seed}: style mean + {StartNoise}·N(0,1), clamped");
        RawTensorFile.Write(Noise(content), inputs.TransferStart, $"seed {Seed}: content mean + {StartNoise}·N(0,1), clamped");
        return inputs;
    }

    /// <summary>
    /// The colour term's inputs as the engine makes them (StyleTargets): its fixed directions, and per octave of the
    /// style's pyramid the pixels it samples for the quantiles (SourceFeatures.Join: at most 65536, a seeded sample).
    /// </summary>
    private static (string Directions, string[] Pixels) WriteColourInputs(string dir, Tensor style, int octaves)
    {
        using var scope = NewDisposeScope();
        var directions = Path.Combine(dir, "colour-directions.f32");
        RawTensorFile.Write(StyleTargets.NewColourDirections(ScalarType.Float32, CPU), directions, "StyleTargets.NewColourDirections");
        var levels = GaussianPyramid.Build(style, octaves, PyramidBorder.Reflect);
        var pixels = new string[octaves];
        for (var o = 0; o < octaves; o++)
        {
            pixels[o] = Path.Combine(dir, $"colour-pixels-{o}.f32");
            using var sample = SourceFeatures.Join([(levels[o], 1.0)]);
            RawTensorFile.Write(sample.Vectors, pixels[o], $"octave {o} of the style's pyramid as SourceFeatures.Join samples it ([3,P])");
        }
        return (directions, pixels);
    }

    private static Tensor Square(Tensor rgb, int size)
    {
        long h = rgb.shape[2], w = rgb.shape[3], side = Math.Min(h, w);
        long top = (h - side) / 2, left = (w - side) / 2;
        using var crop = rgb[.., .., TensorIndex.Slice(top, top + side), TensorIndex.Slice(left, left + side)].contiguous();
        return Resampler.Resize(crop, size, size);
    }

    /// <summary>This executable again (apphost, or dotnet + the dll when started through dotnet).</summary>
    private static string[] SelfCommand(string[] arguments)
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell this process's executable.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(Orchestrator).Assembly.Location, .. arguments]
            : [process, .. arguments];
    }

    /// <summary>Runs a child with this console (its progress lines appear as they come); fails on a non-zero exit.</summary>
    private static void RunChild(string[] command)
    {
        using var process = Process.Start(Start(command)) ?? throw new BenchFailedException($"Could not start {command[0]}.");
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new BenchFailedException($"'{string.Join(" ", command)}' failed with exit code {process.ExitCode}.");
    }

    /// <summary>Wall time of a child from start to exit: what a user waits for, runtime start and network loading included.</summary>
    private static double TimedChild(string[] command)
    {
        var clock = Stopwatch.StartNew();
        RunChild(command);
        return clock.Elapsed.TotalSeconds;
    }

    private static string Capture(string executable, string[] arguments)
    {
        var start = Start([executable, .. arguments]);
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start) ?? throw new BenchFailedException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new BenchFailedException($"'{executable} {string.Join(" ", arguments)}' failed with exit code {process.ExitCode}.");
        return output;
    }

    private static ProcessStartInfo Start(string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        return start;
    }
}

/// <summary>The bench cannot produce a meaningful result; the message says why.</summary>
public sealed class BenchFailedException(string message) : Exception(message);
