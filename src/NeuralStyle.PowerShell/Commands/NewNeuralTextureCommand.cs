using System.Management.Automation;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>High-resolution multi-octave neural texture synthesis (Snelgrove 2017), coarse-to-fine, optionally seamless.</summary>
[Cmdlet(VerbsCommon.New, "NeuralTexture", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "New-NeuralTexture.md")]
[OutputType(typeof(NeuralTextureInfo))]
public sealed class NewNeuralTextureCommand : SynthesisCmdlet
{
    private const string SizeSuffix = "Size";
    private const string PathSizeSet = PathSet + SizeSuffix, PathOutPathSet = PathSet + OutPathSuffix, PathSizeOutPathSet = PathSizeSet + OutPathSuffix;
    private const string LiteralPathSizeSet = LiteralPathSet + SizeSuffix, LiteralPathOutPathSet = LiteralPathSet + OutPathSuffix,
        LiteralPathSizeOutPathSet = LiteralPathSizeSet + OutPathSuffix;
    private readonly List<string> combined = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSizeSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathOutPathSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSizeOutPathSet)]
    [Alias("Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Source { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSizeSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathOutPathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSizeOutPathSet)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double[]? SourceWeight { get; set; }

    [Parameter]
    public SwitchParameter Combine { get; set; }

    /// <summary>The sources' features at this fraction of their pixel size (like New-StyleTransfer's -StyleScale).</summary>
    [Parameter]
    [ValidateRange(0.05, 8.0)]
    public double SourceScale { get; set; } = 1.0;

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PathOutPathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = LiteralPathOutPathSet)]
    [ValidateRange(16, 65536)]
    public int Width { get; set; } = 512;

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PathOutPathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = LiteralPathOutPathSet)]
    [ValidateRange(16, 65536)]
    public int Height { get; set; } = 512;

    [Parameter(Mandatory = true, ParameterSetName = PathSizeSet)]
    [Parameter(Mandatory = true, ParameterSetName = PathSizeOutPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSizeSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSizeOutPathSet)]
    [ValidateRange(16, 65536)]
    public int Size { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathOutPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = PathSizeOutPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathOutPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSizeOutPathSet)]
    [ValidateNotNullOrEmpty]
    public override string? OutPath { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PathSizeSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = LiteralPathSizeSet)]
    [ValidateNotNullOrEmpty]
    public override string? OutputDirectory { get; set; }

    [Parameter]
    public override InitKind Init { get; set; } = InitKind.Noise;

    [Parameter]
    public SwitchParameter Tileable { get; set; }

    protected override void ValidateParameters()
    {
        base.ValidateParameters();
        // -Size and -Width/-Height are in different parameter sets, so only one of them is here.
        if (Size > 0) Width = Height = Size;
    }

    protected override void ProcessRecord()
    {
        var files = ResolveFiles(IsLiteralPathSet ? LiteralPath : Source, IsLiteralPathSet).ToList();
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

    private void Synthesize(IReadOnlyList<string> files) => Synthesize(
        () => OutputFor(System.IO.Path.GetFileNameWithoutExtension(files[0]) + (files.Count > 1 ? $"+{files.Count - 1}" : "") + ".texture",
            System.IO.Path.GetDirectoryName(files[0])!),
        _ => BaseRequest(Weighted(files)) with { Width = Width, Height = Height, Tileable = Tileable, SourceScale = SourceScale },
        files.Count == 1 ? files[0] : files,
        plan => $"Synthesise a {plan.Width}×{plan.Height} texture from {string.Join(", ", files.Select(System.IO.Path.GetFileName))}",
        (computed, plan) => computed
            ? $"Computed style targets for {string.Join(", ", files)} ({plan.Octaves} octaves)."
            : $"Reused cached style targets for {string.Join(", ", files)}.",
        (output, plan, result, elapsed) => new NeuralTextureInfo(output.Path, plan, result, elapsed, [.. files]));

    private List<WeightedSource> Weighted(IReadOnlyList<string> files)
    {
        if (SourceWeight is null) return [.. files.Select(f => new WeightedSource(f))];
        if (SourceWeight.Length != files.Count)
            throw new InvalidParameterException("SourceWeightCountMismatch",
                $"-SourceWeight has {SourceWeight.Length} value(s) for {files.Count} source file(s); give one weight per source.", SourceWeight);
        return [.. files.Zip(SourceWeight, (f, w) => new WeightedSource(f, w))];
    }
}
