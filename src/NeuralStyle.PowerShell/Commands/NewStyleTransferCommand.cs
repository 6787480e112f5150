using System.Management.Automation;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Multi-octave neural style transfer (Gatys; Snelgrove's pyramid style loss) for batches from the pipeline.</summary>
[Cmdlet(VerbsCommon.New, "StyleTransfer", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, HelpUri = OnlineHelp.Base + "New-StyleTransfer.md")]
[OutputType(typeof(StyleTransferInfo))]
public sealed class NewStyleTransferCommand : SynthesisCmdlet
{
    private const string PathOutPathSet = PathSet + OutPathSuffix, LiteralPathOutPathSet = LiteralPathSet + OutPathSuffix;
    private List<WeightedSource> styles = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathOutPathSet)]
    [Alias("Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Content { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathOutPathSet)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Style { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralStyle { get; set; }

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
    public override InitKind Init { get; set; } = InitKind.Content;

    [Parameter]
    public ColorPreservation PreserveColor { get; set; } = ColorPreservation.None;

    [Parameter(Mandatory = true, ParameterSetName = PathOutPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathOutPathSet)]
    [ValidateNotNullOrEmpty]
    public override string? OutPath { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public override string? OutputDirectory { get; set; }

    protected override void ValidateParameters()
    {
        if ((Style is null) == (LiteralStyle is null))
            throw new InvalidParameterException(Style is null ? "StyleMissing" : "StyleWithLiteralStyle", "Give the style images with either -Style or -LiteralStyle.", LiteralStyle);
        base.ValidateParameters();
    }

    /// <summary>A missing, unreadable or unusable style fails here, before any content is processed, with the style as the target.</summary>
    private protected override void AfterSessionOpened()
    {
        var files = Style is not null ? Style.SelectMany(p => ResolveExactOrWildcard(p, "style image")).ToList() : [.. LiteralStyle!.Select(ResolveOutputPath)];
        if (StyleWeight is not null && StyleWeight.Length != files.Count)
            throw new InvalidParameterException("StyleWeightCountMismatch",
                $"-StyleWeight has {StyleWeight.Length} value(s) for {files.Count} style image(s); give one weight per style.", StyleWeight);
        foreach (var file in files) Session!.CheckInput(file, ImageRole.Style);
        styles = [.. files.Select((f, i) => new WeightedSource(f, StyleWeight?[i] ?? 1.0))];
    }

    protected override void ProcessRecord()
    {
        foreach (var file in ResolveFiles(IsLiteralPathSet ? LiteralPath : Content, IsLiteralPathSet))
        {
            Synthesize(
                () => OutputFor($"{System.IO.Path.GetFileNameWithoutExtension(file)}.{System.IO.Path.GetFileNameWithoutExtension(styles[0].Path)}" +
                    (styles.Count > 1 ? $"+{styles.Count - 1}" : ""), System.IO.Path.GetDirectoryName(file)!),
                _ => BaseRequest(styles) with
                {
                    Content = new ContentPart(file, MaxSize, StyleScale, PreserveColor), ContentWeight = ContentWeight, StyleStrength = StyleStrength,
                },
                file,
                plan => $"Style {System.IO.Path.GetFileName(file)} ({plan.Width}×{plan.Height}) with {string.Join(", ", styles.Select(s => System.IO.Path.GetFileName(s.Path)))}",
                (computed, plan) => (computed ? $"Computed style targets ({plan.Octaves} octaves)" : "Reused cached style targets") +
                    $"; style computations so far: {Session!.StyleTargetComputations}.",
                (output, plan, result, elapsed) => new StyleTransferInfo(output.Path, plan, result, elapsed));
        }
    }
}
