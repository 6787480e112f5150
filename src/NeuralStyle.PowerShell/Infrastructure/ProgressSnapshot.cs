using System.Management.Automation;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Progress written as a snapshot: the cmdlets update one record per bar, and a host that keeps the records it
/// is given (a runspace's Progress stream, a job) must not see each later change in every earlier record.
/// </summary>
internal static class ProgressSnapshot
{
    public static void WriteProgressSnapshot(this Cmdlet cmdlet, ProgressRecord r) => cmdlet.WriteProgress(
        new ProgressRecord(r.ActivityId, r.Activity, r.StatusDescription)
        {
            ParentActivityId = r.ParentActivityId, CurrentOperation = r.CurrentOperation, PercentComplete = r.PercentComplete,
            SecondsRemaining = r.SecondsRemaining, RecordType = r.RecordType,
        });
}
