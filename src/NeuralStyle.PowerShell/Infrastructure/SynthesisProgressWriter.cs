using System.Management.Automation;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Nested progress bars for a synthesis: batch item → scale → step, each with its time left (the batch: at least the
/// current item's; the scale: the item's; the step: the stage's), and the silent phases before the first step.
/// </summary>
internal sealed class SynthesisProgressWriter(Cmdlet cmdlet, string activity, int baseId = 1)
{
    private readonly ProgressRecord batch = new(baseId, activity, "Starting");
    private readonly ProgressRecord scale = new(baseId + 1, "Scale", "Starting") { ParentActivityId = baseId };
    private readonly ProgressRecord step = new(baseId + 2, "Optimising", "Starting") { ParentActivityId = baseId + 1 };
    private DateTime lastWrite = DateTime.MinValue;

    public void StartItem(string description, int item, int? total)
    {
        batch.StatusDescription = total is null ? $"{description} (item {item})" : $"{description} ({item} of {total})";
        batch.PercentComplete = total is null ? -1 : 100 * (item - 1) / total.Value;
        batch.SecondsRemaining = -1;
        cmdlet.WriteProgressSnapshot(batch);
    }

    public IProgress<SynthesisProgress> ForItem() => new SynchronousProgress<SynthesisProgress>(Report);

    private void Report(SynthesisProgress p)
    {
        if (p.Phase != SynthesisPhase.Optimizing)
        {
            // Before the first step nothing can be estimated yet (-1: no time left shown).
            scale.StatusDescription = p.Phase == SynthesisPhase.ReadingInputs ? "Reading the inputs" : "Computing the style targets";
            scale.PercentComplete = 0;
            scale.SecondsRemaining = -1;
            cmdlet.WriteProgressSnapshot(scale);
            return;
        }
        // Console progress is slow to draw; a few updates a second are plenty, but always show a stage's last step.
        var now = DateTime.UtcNow;
        if (p.Step != p.Steps && now - lastWrite < TimeSpan.FromMilliseconds(250)) return;
        lastWrite = now;
        // The batch's count is unknown (pipeline input): its time left is at least this item's.
        batch.SecondsRemaining = Seconds(p.Remaining);
        cmdlet.WriteProgressSnapshot(batch);
        scale.StatusDescription = $"Scale {p.Stage} of {p.Stages}: {p.Width}×{p.Height}";
        scale.PercentComplete = 100 * (p.Stage - 1) / p.Stages;
        scale.SecondsRemaining = Seconds(p.Remaining);
        cmdlet.WriteProgressSnapshot(scale);
        step.StatusDescription = $"Step {p.Step} of {p.Steps}, loss {p.Loss:G4}";
        step.PercentComplete = 100 * p.Step / p.Steps;
        step.SecondsRemaining = Seconds(p.StageRemaining);
        cmdlet.WriteProgressSnapshot(step);
    }

    private static int Seconds(TimeSpan remaining) => (int)Math.Ceiling(remaining.TotalSeconds);

    public void Complete()
    {
        foreach (var record in new[] { step, scale, batch })
        {
            record.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgressSnapshot(record);
            record.RecordType = ProgressRecordType.Processing;
        }
    }
}
