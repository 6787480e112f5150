using System.Management.Automation;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>High-resolution multi-octave neural texture synthesis (Snelgrove 2017), coarse-to-fine, optionally seamless.</summary>
[Cmdlet(VerbsCommon.New, "NeuralTexture", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "New-NeuralTexture.md")]
[OutputType(typeof(NeuralTextureInfo))]
public sealed class NewNeuralTextureCommand : SynthesisCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private readonly List<string> combined = [];
    private int item;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    [Alias("Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Source { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double[]? SourceWeight { get; set; }

    [Parameter]
    public SwitchParameter Combine { get; set; }

    [Parameter]
    [ValidateRange(16, 65536)]
    public int Width { get; set; } = 512;

    [Parameter]
    [ValidateRange(16, 65536)]
    public int Height { get; set; } = 512;

    [Parameter]
    [ValidateRange(16, 65536)]
    public int Size { get; set; }

    [Parameter]
    public InitKind Init { get; set; } = InitKind.Noise;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InitImage { get; set; }

    [Parameter]
    public SwitchParameter Tileable { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutPath { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    protected override void ValidateParameters()
    {
        var bound = MyInvocation.BoundParameters;
        if (Size > 0 && (bound.ContainsKey(nameof(Width)) || bound.ContainsKey(nameof(Height))))
            throw new ArgumentException("Use either -Size or -Width/-Height, not both.");
        if (OutPath is not null && OutputDirectory is not null)
            throw new ArgumentException("Use either -OutPath or -OutputDirectory, not both.");
        if (Init == InitKind.Image && InitImage is null)
            throw new ArgumentException("-Init Image needs -InitImage <path>.");
        if (InitImage is not null && Init != InitKind.Image)
            Init = InitKind.Image;
        if (Size > 0) Width = Height = Size;
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        var files = ResolveFiles(literal ? LiteralPath : Source, literal).ToList();
        if (files.Count == 0) return;
        if (Combine) { combined.AddRange(files); return; }
        // Pipeline items each make a texture; several files in one -Source value are joined.
        Synthesize(files);
    }

    protected override void EndProcessing()
    {
        if (Combine && combined.Count > 0) Synthesize(combined);
        base.EndProcessing();
    }

    private void Synthesize(IReadOnlyList<string> files)
    {
        if (CancelToken.IsCancellationRequested || Session is null) return;
        item++;
        string? target = null;
        try
        {
            var sources = Weighted(files);
            target = OutputFor(files);
            if (File.Exists(target) && !Force) throw new OutputExistsException(target);
            var octaves = ChooseOctaves(files);
            PlanEvaluation(Width, Height, octaves);
            if (!ShouldProcess(target, $"Synthesise a {Width}×{Height} texture from {string.Join(", ", files.Select(System.IO.Path.GetFileName))}"))
                return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            var options = new TextureOptions
            {
                Width = Width, Height = Height, Octaves = octaves, StepsPerStage = Iterations, CoarseToFine = !SingleScale,
                Tileable = Tileable, StyleLoss = StyleLoss, Optimizer = Optimizer, Init = Init,
                InitImagePath = InitImage is null ? null : ResolveOutputPath(InitImage), Seed = Seed,
                Weights = Session!.Profile.TextureWeights with { TotalVariation = TvWeight ?? Session.Profile.TextureWeights.TotalVariation },
                TileSize = RequestedTileSize, CheckpointEvery = CheckpointEvery, CheckpointPath = CheckpointPathFor(target),
            };
            Progress!.StartItem(System.IO.Path.GetFileName(target), item, null);
            var before = Session.StyleTargetComputations;
            using var result = new DisposableResult(Session.Texture(sources, options, Progress.ForItem(), CancelToken));
            WriteVerbose(Session.StyleTargetComputations > before
                ? $"Computed style targets for {string.Join(", ", files)} ({octaves} octaves)."
                : $"Reused cached style targets for {string.Join(", ", files)}.");
            ImageCodec.Write(result.Value.Image, target, new ImageWriteOptions(ImageFileFormats.FromExtension(target)) { Overwrite = Force }, CancelToken);
            if (options.CheckpointPath is not null) File.Delete(options.CheckpointPath);
            WriteObject(new NeuralTextureInfo(target, Width, Height, Math.Round(result.Value.Elapsed.TotalSeconds, 2), result.Value.Steps,
                result.Value.FinalLoss, result.Value.Network, result.Value.Device, Seed, octaves, Tileable, [.. files]));
        }
        catch (OperationCanceledException) when (CancelToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            WriteError(ErrorRecords.From(e, e is OutputExistsException ? target : files.Count == 1 ? files[0] : files));
        }
    }

    private List<WeightedSource> Weighted(IReadOnlyList<string> files)
    {
        if (SourceWeight is null) return [.. files.Select(f => new WeightedSource(f))];
        if (SourceWeight.Length != files.Count)
            throw new ArgumentException($"-SourceWeight has {SourceWeight.Length} value(s) for {files.Count} source file(s); give one weight per source.");
        return [.. files.Zip(SourceWeight, (f, w) => new WeightedSource(f, w))];
    }

    private int ChooseOctaves(IReadOnlyList<string> files)
    {
        if (Octaves > 0) return Octaves;
        var sizes = files.Select(f => ImageCodec.Identify(f)).Select(h => (h.Width, h.Height)).Append((Width, Height));
        var octaves = Session!.FittingOctaves(sizes, PreferredOctaves);
        WriteVerbose($"Using {octaves} octave(s): the most (up to {PreferredOctaves}) whose smallest level keeps {Session.Profile.MinimumSide} px for the network.");
        return octaves;
    }

    private string OutputFor(IReadOnlyList<string> files)
    {
        if (OutPath is not null) return ResolveOutputPath(OutPath);
        var first = files[0];
        var name = System.IO.Path.GetFileNameWithoutExtension(first) + (files.Count > 1 ? $"+{files.Count - 1}" : "") + ".texture.png";
        var folder = OutputDirectory is null ? System.IO.Path.GetDirectoryName(first)! : ResolveOutputPath(OutputDirectory);
        return System.IO.Path.Combine(folder, name);
    }

    private sealed class DisposableResult(SynthesisResult value) : IDisposable
    {
        public SynthesisResult Value { get; } = value;
        public void Dispose() => Value.Image.Dispose();
    }
}
