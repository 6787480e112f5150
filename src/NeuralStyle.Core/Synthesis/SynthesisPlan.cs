using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Every decision about one synthesis, made once by <see cref="SynthesisPlanner"/> before any work
/// and used by everything after it: sizes, octaves, the stages and how each is evaluated, borders,
/// weights, the memory estimate, and the key of its style targets.
/// </summary>
/// <param name="OctavesFitted">True when the octaves were chosen to fit the images, not asked for.</param>
/// <param name="StyleLongSide">The long side styles are scaled to (a transfer); null: styles keep their size (a texture).</param>
/// <param name="Memory">The estimate for a full-size step.</param>
public sealed record SynthesisPlan(
    SynthesisRequest Request,
    int Width,
    int Height,
    int Octaves,
    bool OctavesFitted,
    IReadOnlyList<PlannedStage> Stages,
    PyramidBorder Border,
    NetworkPadding Padding,
    LossWeights Weights,
    IReadOnlyList<StyleLayer> StyleLayers,
    string ContentLayer,
    int MinimumSide,
    int? StyleLongSide,
    EvaluationPlan Memory,
    StyleTargetKey TargetKey)
{
    public bool IsTransfer => Request.Content is not null;

    /// <summary>Where checkpoints go and what a resumed run continues from; null without checkpoints (see <see cref="CheckpointPlan.Apply"/>).</summary>
    public CheckpointPlan? Checkpoint { get; init; }

    /// <summary>The plan in words, one line per decision, for -Verbose.</summary>
    public IEnumerable<string> Describe()
    {
        if (OctavesFitted)
            yield return $"Using {Octaves} octave(s): the most (up to {SynthesisPlanner.PreferredOctaves}) whose smallest level keeps {MinimumSide} px for the network.";
        yield return Memory.Blockwise
            ? $"{Width}×{Height}: block-wise evaluation with {Memory.TileSize} px tiles, about {Gib(Memory.EstimatedBytes)} GiB " +
              $"(a whole-image step would need about {Gib(Memory.WholeImageBytes)} GiB)."
            : $"{Width}×{Height}: whole-image evaluation, about {Gib(Memory.EstimatedBytes)} GiB.";
        foreach (var planned in Stages)
        {
            var stage = planned.Stage;
            yield return $"Stage {stage.Index + 1} of {Stages.Count}: {stage.Width}×{stage.Height}, {stage.Steps} steps, style octaves " +
                $"{stage.StyleOctaveOffset + 1}–{Octaves}, " + (planned.TileSize > 0 ? $"block-wise ({planned.TileSize} px tiles)" : "whole-image") +
                (planned.CompactHistory ? ", L-BFGS history compact (bfloat16 steps, 8-bit gradient changes) to fit in memory." : ".");
        }
        if (Checkpoint?.ResumeFrom is { } resume)
            yield return $"Resuming from '{Checkpoint.Files.Image}': stage {resume.Stage + 1} of {resume.Stages}, after step {resume.Step} of {resume.StageSteps} " +
                "(the optimiser's history starts afresh).";
        if (Checkpoint is not null) yield return $"Checkpoint every {Checkpoint.Every} steps: '{Checkpoint.Files.Image}'.";
    }

    /// <summary>The settings every stage runs with, one line for the whole run and one per stage, for -Debug.</summary>
    public IEnumerable<string> DescribeSettings()
    {
        var r = Request;
        var rate = r.LearningRate is double lr ? FormattableString.Invariant($" (learning rate {lr:G4})") : "";
        var layers = string.Join(", ", StyleLayers.Select(l => FormattableString.Invariant($"{l.Name}×{l.Weight:G3}")));
        yield return FormattableString.Invariant($"Settings: optimizer {r.Optimizer}{rate}, style loss {r.StyleLoss}, ") +
            FormattableString.Invariant($"weights content {Weights.Content:G4} / style {Weights.Style:G4} / total variation {Weights.TotalVariation:G4}, ") +
            $"style layers {layers}" + (IsTransfer ? $", content layer {ContentLayer}" : "") + $", border {Border}, padding {Padding}, init {r.Init}, seed {r.Seed}.";
        foreach (var planned in Stages)
        {
            var stage = planned.Stage;
            yield return $"Stage {stage.Index + 1} of {Stages.Count}: {stage.Width}×{stage.Height} px, {stage.Steps} step(s) of {r.Optimizer}, " +
                $"style octaves {stage.StyleOctaveOffset + 1}–{Octaves} (from 1/{1 << stage.StyleOctaveOffset} scale), " +
                (IsTransfer ? $"content pyramid level {stage.StyleOctaveOffset + 1}, " : "") +
                (planned.TileSize > 0 ? $"block-wise evaluation in {planned.TileSize} px tiles" : "whole-image evaluation") +
                (planned.CompactHistory ? ", compact L-BFGS history." : ".");
        }
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("N1");
}

/// <summary>One stage of the schedule, its evaluation (whole-image: <see cref="TileSize"/> 0, or block-wise) and its L-BFGS history's precision.</summary>
public sealed record PlannedStage(SynthesisStage Stage, int TileSize, bool CompactHistory = false);
