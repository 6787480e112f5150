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
[Cmdlet(VerbsCommon.New, "StyleTransfer", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "New-StyleTransfer.md")]
[OutputType(typeof(StyleTransferInfo))]
public sealed class NewStyleTransferCommand : SynthesisCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
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
    [ValidateRange(0.0, double.MaxValue)]
    public double? ContentWeight { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1000.0)]
    public double StyleStrength { get; set; } = 1.0;

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
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    [Parameter]
    public ImageFileFormat Format { get; set; } = ImageFileFormat.Png;

    /// <summary>A missing or unreadable style fails here, before any content is processed.</summary>
    protected override void ValidateParameters() => styles = ResolveStyles();

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
            if (CancelToken.IsCancellationRequested || Session is null) return;
            Transfer(file);
        }
    }

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
            var octaves = Octaves > 0 ? Octaves : Session!.FittingOctaves(StyleSizes(width, height).Append((width, height)), PreferredOctaves);
            PlanEvaluation(width, height, octaves);
            if (!ShouldProcess(target, $"Style {System.IO.Path.GetFileName(file)} ({width}×{height}) with {string.Join(", ", styles.Select(s => System.IO.Path.GetFileName(s.Path)))}"))
                return;
            var defaults = Session!.Profile.TransferWeights;
            var options = new StyleTransferOptions
            {
                MaxSize = MaxSize, Octaves = octaves, StyleScale = StyleScale, StepsPerStage = Iterations, CoarseToFine = !SingleScale,
                StyleLoss = StyleLoss, Optimizer = Optimizer, PreserveColor = PreserveColor, Seed = Seed,
                Init = Init.ToLowerInvariant() switch { "content" => InitKind.Image, "noise" => InitKind.Noise, _ => InitKind.Image },
                InitImagePath = Init.ToLowerInvariant() is "content" or "noise" ? null : ResolveOutputPath(Init),
                Weights = new LossWeights(ContentWeight ?? defaults.Content, defaults.Style * StyleStrength, TvWeight ?? defaults.TotalVariation),
                TileSize = RequestedTileSize, CheckpointEvery = CheckpointEvery,
                CheckpointPath = CheckpointPathFor(target),
            };
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            Progress!.StartItem(System.IO.Path.GetFileName(file), item, null);
            var before = Session.StyleTargetComputations;
            var result = Session.Transfer(file, styles, options, Progress.ForItem(), CancelToken);
            try
            {
                WriteVerbose(Session.StyleTargetComputations > before
                    ? $"Computed style targets ({octaves} octaves); style computations so far: {Session.StyleTargetComputations}."
                    : $"Reused cached style targets; style computations so far: {Session.StyleTargetComputations}.");
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
}
