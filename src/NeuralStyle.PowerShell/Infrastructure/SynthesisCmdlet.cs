using System.Management.Automation;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Optimization;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// What New-NeuralTexture and New-StyleTransfer share: the optimisation parameters, one engine
/// session (network loaded once) per pipeline, nested progress, and a seed that is random unless given.
/// </summary>
public abstract class SynthesisCmdlet : NeuralStyleCmdlet
{
    /// <summary>Snelgrove's choice, where the images are large enough for it.</summary>
    protected const int PreferredOctaves = 4;

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

    [Parameter]
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;

    [Parameter]
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Lbfgs;

    [Parameter]
    public StyleLossKind StyleLoss { get; set; } = StyleLossKind.Gram;

    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double? TvWeight { get; set; }

    [Parameter]
    public SwitchParameter SingleScale { get; set; }

    [Parameter]
    [ValidateRange(0, 100000)]
    public int CheckpointEvery { get; set; }

    [Parameter]
    [ValidateRange(64, 16384)]
    public int TileSize { get; set; }

    /// <summary>-TileSize when given (forces block-wise evaluation), else null: decided from the memory estimate.</summary>
    protected int? RequestedTileSize => MyInvocation.BoundParameters.ContainsKey(nameof(TileSize)) ? TileSize : null;

    /// <summary>Checks the step fits in memory (block-wise if need be) and says how it will be evaluated.</summary>
    protected void PlanEvaluation(int width, int height, int octaves)
    {
        var plan = MemoryEstimate.Plan(Session!.Network.Name, width, height, octaves, RequestedTileSize, StyleLoss == StyleLossKind.Gram);
        WriteVerbose(plan.Blockwise
            ? $"{width}×{height}: block-wise evaluation with {plan.TileSize} px tiles, about {plan.EstimatedBytes / (double)(1L << 30):N1} GiB " +
              $"(a whole-image step would need about {plan.WholeImageBytes / (double)(1L << 30):N1} GiB)."
            : $"{width}×{height}: whole-image evaluation, about {plan.EstimatedBytes / (double)(1L << 30):N1} GiB.");
    }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected SynthesisSession? Session { get; private set; }
    private protected SynthesisProgressWriter? Progress { get; private set; }

    /// <summary>Checks the cmdlet's own parameters; throw ArgumentException for a conflict.</summary>
    protected virtual void ValidateParameters()
    {
    }

    protected override void BeginProcessing()
    {
        try
        {
            ValidateParameters();
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Seed))) Seed = Random.Shared.NextInt64(1, int.MaxValue);
            Session = SynthesisSession.Open(ModelArgument.Resolve(this, Model), Device);
            WriteVerbose($"{Session.ModelChoice} Device: {Session.Network.Device}.");
            Progress = new SynthesisProgressWriter(this, MyInvocation.MyCommand.Name);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            // Bad parameters, styles or models stop the whole batch before any work: every item would fail alike.
            ThrowTerminatingError(e.GetType() == typeof(ArgumentException)
                ? new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, null)
                : ErrorRecords.From(e, e is Core.Imaging.InvalidImageException i ? i.Path : e is FileNotFoundException f ? f.FileName : Model));
        }
    }

    protected override void EndProcessing() => Progress?.Complete();

    /// <summary>&lt;output&gt;.checkpoint.png beside the output, or null when no checkpoints were asked for.</summary>
    protected string? CheckpointPathFor(string target) => CheckpointEvery > 0
        ? Path.Combine(Path.GetDirectoryName(target)!, Path.GetFileNameWithoutExtension(target) + ".checkpoint.png")
        : null;

    protected override void Dispose(bool disposing)
    {
        if (disposing) Session?.Dispose();
        base.Dispose(disposing);
    }
}
