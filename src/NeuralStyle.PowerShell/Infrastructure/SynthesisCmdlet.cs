using System.Management.Automation;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// What New-NeuralTexture and New-StyleTransfer share: the optimisation and output parameters, one
/// engine session (network loaded once) per pipeline, nested progress, a seed that is random unless
/// given, and the one routine that makes an item (<see cref="Synthesize"/>).
/// </summary>
public abstract class SynthesisCmdlet : NeuralStyleCmdlet
{
    // Parameter sets: the input (wildcard path or literal path) times the output (-OutputDirectory or -OutPath), and for
    // New-NeuralTexture times the size (-Width/-Height or -Size); a set's name joins its parts, e.g. LiteralPathSizeOutPath.
    private protected const string PathSet = "Path";
    private protected const string LiteralPathSet = "LiteralPath";
    private protected const string OutPathSuffix = "OutPath";

    private int item;

    [Parameter]
    [ValidateRange(1, 12)]
    public int Octaves { get; set; }

    [Parameter]
    [ValidateRange(1, 100000)]
    public int Iterations { get; set; } = 100;

    [Parameter]
    public long Seed { get; set; }

    [Parameter]
    [Alias("ModelPath")]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = "Auto";

    /// <summary>Text, read by <see cref="ComputeDevice.Parse"/> before any work, so a bad one is the error InvalidDevice with the text as target.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = nameof(ComputeDevice.Auto);

    /// <summary>libtorch intra-op threads per item; 0: the process's thread budget (NEURALSTYLE_THREADS, else cores ÷ workers).</summary>
    [Parameter]
    [ValidateRange(0, 1024)]
    public int ThreadCount { get; set; }

    [Parameter]
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Lbfgs;

    [Parameter]
    public StyleLossKind StyleLoss { get; set; } = StyleLossKind.Gram;

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? TvWeight { get; set; }

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? ColorWeight { get; set; }

    [Parameter]
    public SwitchParameter SingleScale { get; set; }

    [Parameter]
    [ValidateRange(0, 100000)]
    public int CheckpointEvery { get; set; }

    /// <summary>Continue from this output's own checkpoint (verified against these settings) when there is one; else start normally.</summary>
    [Parameter]
    public SwitchParameter Resume { get; set; }

    [Parameter]
    [ValidateRange(64, 16384)]
    public int TileSize { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InitImage { get; set; }

    /// <summary>-OutPath (one output file) and -OutputDirectory exclude each other: each cmdlet declares them in its parameter sets.</summary>
    public abstract string? OutPath { get; set; }

    public abstract string? OutputDirectory { get; set; }

    [Parameter]
    public ImageFileFormat Format { get; set; } = ImageFileFormat.Png;

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Resume a batch: an item whose output file exists is skipped (atomic writes: a file there is complete).</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <summary>-Init: where the optimisation starts; each cmdlet declares it with its own default.</summary>
    public abstract InitKind Init { get; set; }

    private protected SynthesisSession? Session { get; private set; }
    private protected SynthesisProgressWriter? Progress { get; private set; }

    /// <summary>What every request of this call shares; each cmdlet adds its images and its own settings.</summary>
    private protected SynthesisRequest BaseRequest(IReadOnlyList<WeightedSource> styles) => new()
    {
        Styles = styles, Octaves = Octaves > 0 ? Octaves : null, StepsPerStage = Iterations, CoarseToFine = !SingleScale,
        StyleLoss = StyleLoss, Optimizer = Optimizer, Seed = Seed, Init = Init,
        InitImagePath = InitImage is null ? null : ResolveOutputPath(InitImage), TvWeight = TvWeight,
        ColourWeight = ColorWeight,
        TileSize = MyInvocation.BoundParameters.ContainsKey(nameof(TileSize)) ? TileSize : null,
    };

    /// <summary>-OutPath, or <paramref name="baseName"/> with -Format's extension in -OutputDirectory or <paramref name="defaultFolder"/>.</summary>
    private protected OutputTarget OutputFor(string baseName, string defaultFolder) => OutputTarget.Resolve(
        OutPath is null ? null : ResolveOutputPath(OutPath),
        OutputDirectory is null ? defaultFolder : ResolveOutputPath(OutputDirectory), baseName,
        MyInvocation.BoundParameters.ContainsKey(nameof(Format)) ? Format : null);

    /// <summary>True in the sets that take -LiteralPath (or pipeline objects' paths) rather than wildcard paths.</summary>
    private protected bool IsLiteralPathSet => ParameterSetName.StartsWith(LiteralPathSet, StringComparison.Ordinal);

    /// <summary>
    /// Makes one item: output target → checks → plan → ShouldProcess → folder → progress → run →
    /// atomic write → result object. A bad argument stops the call (every item would fail alike);
    /// any other failure is this item's error, and the batch goes on.
    /// </summary>
    /// <param name="resolveOutput">The output target; called inside the error handling.</param>
    /// <param name="errorTarget">What an error that is not about an image or the output names: the item's input.</param>
    /// <param name="targetsMessage">-Verbose text: whether the style targets were computed (true) or reused.</param>
    /// <param name="describe">The result object written to the pipeline, given the item's whole wall time.</param>
    private protected void Synthesize(Func<OutputTarget> resolveOutput, Func<OutputTarget, SynthesisRequest> request, object errorTarget,
        Func<SynthesisPlan, string> action, Func<bool, SynthesisPlan, string> targetsMessage,
        Func<OutputTarget, SynthesisPlan, SynthesisResult, TimeSpan, object> describe)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (CancelToken.IsCancellationRequested || Session is null) return;
        item++;
        if (OutPath is not null && item > 1)
            ThrowTerminatingError(ErrorRecords.From(new InvalidParameterException("OutPathForSeveralItems",
                "-OutPath names one output file; use -OutputDirectory for several items.", OutPath), null));
        OutputTarget? output = null;
        try
        {
            output = resolveOutput();
            if (SkipExisting && File.Exists(output.Path))
            {
                WriteVerbose($"Skipped '{output.Path}': it exists (-SkipExisting). Outputs are written atomically, so it is complete.");
                return;
            }
            output.Check(Force);
            // A seed the user did not give is free: a resumed run takes its checkpoint's.
            var checkpoints = CheckpointEvery > 0 || Resume
                ? new CheckpointRequest(output.Path, CheckpointEvery, Resume, SeedFromCheckpoint: !MyInvocation.BoundParameters.ContainsKey(nameof(Seed)))
                : null;
            var plan = Session.Plan(request(output) with { Checkpoints = checkpoints });
            foreach (var line in plan.Describe()) WriteVerbose(line);
            foreach (var line in plan.DescribeSettings()) WriteDebug(line);
            if (!ShouldProcess(output.Path, action(plan))) return;
            Directory.CreateDirectory(output.Folder);
            Progress!.StartItem(System.IO.Path.GetFileName(output.Path), item, null);
            using var result = Session.Synthesize(plan, out var computed, Progress.ForItem(), CancelToken);
            WriteVerbose(targetsMessage(computed, plan));
            ImageCodec.Write(result.Image, output.Path, new ImageWriteOptions(output.Format) { Overwrite = Force }, CancelToken);
            // Only the checkpoint this run created (its name was free when the run began) or resumed; kept when the run fails or stops.
            plan.Checkpoint?.Files.Delete();
            WriteObject(describe(output, plan, result, clock.Elapsed));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
        }
        catch (ArgumentException e) when (ErrorRecords.IsBadArgument(e))
        {
            ThrowTerminatingError(ErrorRecords.From(e, null));
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            WriteError(ErrorRecords.From(e, e is OutputExistsException ? output?.Path : errorTarget));
        }
    }

    /// <summary>Checks the cmdlet's own parameters; throw <see cref="InvalidParameterException"/> for a conflict.</summary>
    protected virtual void ValidateParameters()
    {
        if (Force && SkipExisting)
            throw new InvalidParameterException("ForceWithSkipExisting", "Use either -Force (replace existing outputs) or -SkipExisting (keep them), not both.");
        if (InitImage is not null) Init = InitKind.Image;
    }

    protected override void BeginProcessing()
    {
        try
        {
            ValidateParameters();
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Seed))) Seed = Random.Shared.NextInt64(1, int.MaxValue);
            Session = SynthesisSession.Open(ModelArgument.Resolve(this, Model), ComputeDevice.Parse(Device), CancelToken, ThreadCount > 0 ? ThreadCount : null);
            WriteVerbose($"{Session.ModelChoice} Device: {Session.Network.Device}.");
            Progress = new SynthesisProgressWriter(this, MyInvocation.MyCommand.Name);
            AfterSessionOpened();
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            // Bad parameters, styles or models stop the whole batch before any work: every item would fail alike.
            ThrowTerminatingError(ErrorRecords.From(e, e is InvalidImageException i ? i.Path : e is FileNotFoundException f ? f.FileName : Model));
        }
    }

    /// <summary>Checks that need the network's profile (New-StyleTransfer's styles), before any item.</summary>
    private protected virtual void AfterSessionOpened()
    {
    }

    protected override void EndProcessing() => Progress?.Complete();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Session?.Dispose();
        base.Dispose(disposing);
    }
}
