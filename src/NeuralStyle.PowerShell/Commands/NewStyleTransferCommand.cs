using System.Management.Automation;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Multi-octave neural style transfer (Gatys; Snelgrove's pyramid style loss) for batches from the pipeline.</summary>
[Cmdlet(VerbsCommon.New, "StyleTransfer", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType(typeof(StyleTransferInfo))]
public sealed class NewStyleTransferCommand : NeuralStyleCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int PreferredOctaves = 4;
    private SynthesisSession? session;
    private SynthesisProgressWriter? progress;
    private List<WeightedSource> styles = [];
    private int item;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [Alias("Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Content { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Style { get; set; } = [];

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double[]? StyleWeight { get; set; }

    [Parameter]
    [ValidateRange(1, 12)]
    public int Octaves { get; set; }

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? ContentWeight { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1000.0)]
    public double StyleStrength { get; set; } = 1.0;

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? TvWeight { get; set; }

    [Parameter]
    [ValidateRange(1, 100000)]
    public int Iterations { get; set; } = 100;

    [Parameter]
    [ValidateRange(32, 65536)]
    public int MaxSize { get; set; } = 512;

    [Parameter]
    [ValidateRange(0.05, 8.0)]
    public double StyleScale { get; set; } = 1.0;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Init { get; set; } = "Content";

    [Parameter]
    public ColorPreservation PreserveColor { get; set; } = ColorPreservation.None;

    [Parameter]
    public long Seed { get; set; }

    [Parameter]
    [Alias("ModelPath")]
    [ArgumentCompleter(typeof(ModelNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = "Auto";

    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    [Parameter]
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Lbfgs;

    [Parameter]
    public StyleLossKind StyleLoss { get; set; } = StyleLossKind.Gram;

    [Parameter]
    public SwitchParameter SingleScale { get; set; }

    [Parameter]
    [ValidateRange(0, 100000)]
    public int CheckpointEvery { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public ImageFileFormat Format { get; set; } = ImageFileFormat.Png;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Seed))) Seed = Random.Shared.NextInt64(1, int.MaxValue);
            styles = ResolveStyles();
            session = SynthesisSession.Open(Model, Device);
            WriteVerbose($"{session.ModelChoice} Device: {session.Network.Device}.");
            progress = new SynthesisProgressWriter(this, "New-StyleTransfer");
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            // A bad style or model stops the whole batch before any work: every item would fail the same way.
            ThrowTerminatingError(e.GetType() == typeof(ArgumentException)
                ? new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, null)
                : ErrorRecords.From(e, e is InvalidImageException i ? i.Path : e is FileNotFoundException f ? f.FileName : Style));
        }
    }

    private List<WeightedSource> ResolveStyles()
    {
        var files = new List<string>();
        foreach (var pattern in Style)
        {
            var resolved = WildcardPattern.ContainsWildcardCharacters(pattern)
                ? GetResolvedProviderPathFromPSPath(pattern, out _).ToList()
                : [ResolveOutputPath(pattern)];
            if (resolved.Count == 0) throw new FileNotFoundException($"No style image matches '{pattern}'.", pattern);
            files.AddRange(resolved);
        }
        if (StyleWeight is not null && StyleWeight.Length != files.Count)
            throw new ArgumentException($"-StyleWeight has {StyleWeight.Length} value(s) for {files.Count} style image(s); give one weight per style.");
        foreach (var file in files)
        {
            if (Directory.Exists(file)) throw new InvalidImageException(file, $"The style '{file}' is a directory, not an image file.");
            ImageCodec.Identify(file); // missing or unreadable styles fail here, before any content is processed
        }
        return [.. files.Select((f, i) => new WeightedSource(f, StyleWeight?[i] ?? 1.0))];
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in ResolveFiles(literal ? LiteralPath : Content, literal))
        {
            if (CancelToken.IsCancellationRequested || session is null) return;
            Transfer(file);
        }
    }

    protected override void EndProcessing() => progress?.Complete();

    private void Transfer(string file)
    {
        item++;
        string? target = null;
        try
        {
            target = OutputFor(file);
            if (File.Exists(target) && !Force) throw new OutputExistsException(target);
            var header = ImageCodec.Identify(file);
            var (width, height) = Resampler.Fit(header.Width, header.Height, MaxSize);
            var octaves = Octaves > 0 ? Octaves : session!.FittingOctaves(StyleSizes(width, height).Append((width, height)), PreferredOctaves);
            MemoryEstimate.EnsureFits(session!.Network.Name, width, height, octaves);
            if (!ShouldProcess(target, $"Style {System.IO.Path.GetFileName(file)} ({width}×{height}) with {string.Join(", ", styles.Select(s => System.IO.Path.GetFileName(s.Path)))}"))
                return;
            var defaults = session.Profile.TransferWeights;
            var options = new StyleTransferOptions
            {
                MaxSize = MaxSize, Octaves = octaves, StyleScale = StyleScale, StepsPerStage = Iterations, CoarseToFine = !SingleScale,
                StyleLoss = StyleLoss, Optimizer = Optimizer, PreserveColor = PreserveColor, Seed = Seed,
                Init = Init.ToLowerInvariant() switch { "content" => InitKind.Image, "noise" => InitKind.Noise, _ => InitKind.Image },
                InitImagePath = Init.ToLowerInvariant() is "content" or "noise" ? null : ResolveOutputPath(Init),
                Weights = new LossWeights(ContentWeight ?? defaults.Content, defaults.Style * StyleStrength, TvWeight ?? defaults.TotalVariation),
                CheckpointEvery = CheckpointEvery,
                CheckpointPath = CheckpointEvery > 0 ? System.IO.Path.ChangeExtension(target, ".checkpoint.png") : null,
            };
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            progress!.StartItem(System.IO.Path.GetFileName(file), item, null);
            var before = session.StyleTargetComputations;
            var result = session.Transfer(file, styles, options, progress.ForItem(), CancelToken);
            try
            {
                WriteVerbose(session.StyleTargetComputations > before
                    ? $"Computed style targets ({octaves} octaves); style computations so far: {session.StyleTargetComputations}."
                    : $"Reused cached style targets; style computations so far: {session.StyleTargetComputations}.");
                ImageCodec.Write(result.Image, target, new ImageWriteOptions(Format) { Overwrite = Force }, CancelToken);
            }
            finally
            {
                result.Image.Dispose();
            }
            if (options.CheckpointPath is not null) File.Delete(options.CheckpointPath);
            WriteObject(new StyleTransferInfo(target, file, [.. styles.Select(s => s.Path)], width, height,
                Math.Round(result.Elapsed.TotalSeconds, 2), result.Steps, result.FinalLoss, result.Network, result.Device, Seed, octaves,
                PreserveColor.ToString()));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            WriteError(ErrorRecords.From(e, e is OutputExistsException ? target : file));
        }
    }

    private IEnumerable<(int Width, int Height)> StyleSizes(int width, int height)
    {
        var longSide = (int)Math.Round(StyleScale * Math.Max(width, height));
        return styles.Select(s => ImageCodec.Identify(s.Path)).Select(h => Resampler.ScaleTo(h.Width, h.Height, longSide));
    }

    /// <summary>&lt;content&gt;.&lt;style&gt;.png in the content's folder or -OutputDirectory.</summary>
    private string OutputFor(string file)
    {
        var style = System.IO.Path.GetFileNameWithoutExtension(styles[0].Path) + (styles.Count > 1 ? $"+{styles.Count - 1}" : "");
        var name = $"{System.IO.Path.GetFileNameWithoutExtension(file)}.{style}{ImageFileFormats.Extension(Format)}";
        var folder = OutputDirectory is null ? System.IO.Path.GetDirectoryName(file)! : ResolveOutputPath(OutputDirectory);
        return System.IO.Path.Combine(folder, name);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) session?.Dispose();
        base.Dispose(disposing);
    }
}
