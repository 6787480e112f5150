using System.Diagnostics;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>One stage of a job's schedule, as both engines read it.</summary>
public sealed record JobStageJson(int Width, int Height, int StyleOctaveOffset, int Steps, int TileSize);

/// <summary>
/// A whole default job (New-NeuralTexture -Size N, New-StyleTransfer -MaxSize N): the source files
/// for our engine, which plans it itself; the plan's stages and prepared inputs for the reference.
/// </summary>
public sealed record JobConfig(
    string Name,
    string Device,
    string Task,
    int Size,
    int StepsPerStage,
    int Threads,
    string StyleFile,
    string? ContentFile,
    string Output,
    int Octaves,
    IReadOnlyList<JobStageJson> Stages,
    double LearningRate,
    int HistorySize,
    WeightsJson Weights,
    IReadOnlyList<LayerJson> StyleLayers,
    string ContentLayer,
    string Model,
    InputsJson Inputs);

/// <summary>Where a job stood when one of its stages ended.</summary>
/// <remarks>Total losses only: the cmdlet's progress reports the total.</remarks>
public sealed record JobStageResult(int Width, int Height, int Steps, double Seconds, double FirstLoss, double LastLoss, long RssBytes,
    long? LiveTensors = null);

/// <summary>What one engine measured for a whole job, in a process of its own.</summary>
public sealed record JobResult(string Engine, string Version, int Threads, double Seconds, long PeakRssBytes, IReadOnlyList<JobStageResult> Stages);

/// <summary>
/// Our side of a job row: the calls New-NeuralTexture / New-StyleTransfer make for one item
/// (SynthesisSession.Open, Plan, Synthesize, the PNG write), at the cmdlets' defaults, in a process
/// of its own; the PowerShell host is not in it.
/// </summary>
public static class JobRun
{
    /// <summary>The request the cmdlet builds at its defaults (seed 1 instead of a random one), the colour term included.</summary>
    public static SynthesisRequest Request(string task, int size, int stepsPerStage, string style, string? content) => task == "transfer"
        ? new SynthesisRequest { Styles = [new WeightedSource(style)], Content = new ContentPart(content!, size), Init = InitKind.Content, StepsPerStage = stepsPerStage, Seed = 1 }
        : new SynthesisRequest { Styles = [new WeightedSource(style)], Width = size, Height = size, Init = InitKind.Noise, StepsPerStage = stepsPerStage, Seed = 1 };

    public static int Run(string configPath, string resultPath)
    {
        var clock = Stopwatch.StartNew();
        var config = Json.Read<JobConfig>(configPath);
        var device = config.Device == "cuda" ? ComputeDevice.Cuda : ComputeDevice.Cpu;
        var stages = new List<JobStageResult>();
        using (var session = SynthesisSession.Open("resnet18", device, threadCount: config.Threads))
        {
            var plan = session.Plan(Request(config.Task, config.Size, config.StepsPerStage, config.StyleFile, config.ContentFile));
            var stageClock = Stopwatch.StartNew();
            var first = double.NaN;
            var progress = new Synchronous<SynthesisProgress>(p =>
            {
                if (p.Phase != SynthesisPhase.Optimizing) return; // reading inputs, computing targets: no step yet
                // The loss reported after step 1 is the one evaluated at the stage's start image.
                if (p.Step == 1) first = p.Loss;
                if (p.Step != p.Steps) return;
                stages.Add(new JobStageResult(p.Width, p.Height, p.Steps, stageClock.Elapsed.TotalSeconds, first, p.Loss, ProcessMemory.Rss,
                    DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount));
                Console.WriteLine($"  engine:    {config.Name}: stage {p.Stage} ({p.Width}x{p.Height}, {p.Steps} steps) {stageClock.Elapsed.TotalSeconds:F1} s, " +
                    $"RSS {ProcessMemory.Rss / 1048576.0:F0} MiB");
                stageClock.Restart();
            });
            using var result = session.Synthesize(plan, out _, progress);
            ImageCodec.Write(result.Image, config.Output, new ImageWriteOptions(ImageFileFormat.Png) { Overwrite = true });
        }
        var version = $"TorchSharp {typeof(torch).Assembly.GetName().Version} / libtorch {torch.__version__}";
        Json.Write(resultPath, new JobResult("neuralstyle", version, config.Threads, clock.Elapsed.TotalSeconds, ProcessMemory.Peak, stages));
        return 0;
    }
}
