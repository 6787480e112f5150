using System.Management.Automation;
using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Nested progress bars for a synthesis: batch item → scale → step, with the time left.</summary>
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
        cmdlet.WriteProgress(batch);
    }

    public IProgress<SynthesisProgress> ForItem() => new SynchronousProgress<SynthesisProgress>(Report);

    private void Report(SynthesisProgress p)
    {
        // Console progress is slow to draw; a few updates a second are plenty, but always show a stage's last step.
        var now = DateTime.UtcNow;
        if (p.Step != p.Steps && now - lastWrite < TimeSpan.FromMilliseconds(250)) return;
        lastWrite = now;
        scale.StatusDescription = $"Scale {p.Stage} of {p.Stages}: {p.Width}×{p.Height}";
        scale.PercentComplete = 100 * (p.Stage - 1) / p.Stages;
        scale.SecondsRemaining = (int)p.Remaining.TotalSeconds;
        cmdlet.WriteProgress(scale);
        step.StatusDescription = $"Step {p.Step} of {p.Steps}, loss {p.Loss:G4}";
        step.PercentComplete = 100 * p.Step / p.Steps;
        cmdlet.WriteProgress(step);
    }

    public void Complete()
    {
        foreach (var record in new[] { step, scale, batch })
        {
            record.RecordType = ProgressRecordType.Completed;
            cmdlet.WriteProgress(record);
            record.RecordType = ProgressRecordType.Processing;
        }
    }
}
