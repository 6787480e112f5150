namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Where a run writes its checkpoints, every how many steps, the fingerprint they record, and — for a resumed
/// run — the verified checkpoint it continues from (its files are then the ones it keeps writing and removes on success).
/// </summary>
public sealed record CheckpointPlan(CheckpointFiles Files, int Every, IReadOnlyDictionary<string, string> Fingerprint, CheckpointRecord? ResumeFrom)
{
    /// <summary>
    /// <paramref name="plan"/> with its <see cref="SynthesisPlan.Checkpoint"/>: a fresh, free checkpoint name, or with
    /// <see cref="CheckpointRequest.Resume"/> the most recent of the output's own checkpoints whose fingerprint matches.
    /// Reads and hashes files only; writes and deletes nothing.
    /// </summary>
    /// <param name="modelIdentity">The network's weights, by content (see <see cref="SynthesisSession.ModelIdentity"/>).</param>
    /// <exception cref="CheckpointMismatchException">The output has checkpoints, none of them written by these settings.</exception>
    /// <exception cref="CheckpointDamagedException">A checkpoint's sidecar or the matching checkpoint's pixels are damaged.</exception>
    public static SynthesisPlan Apply(SynthesisPlan plan, string modelIdentity)
    {
        var request = plan.Request.Checkpoints ?? throw new ArgumentException("The plan's request asks for no checkpoints.", nameof(plan));
        var fingerprint = RunFingerprint.Of(plan, modelIdentity);
        if (request.Resume)
        {
            var ignore = request.SeedFromCheckpoint ? new[] { RunFingerprint.SeedKey } : [];
            var own = CheckpointFiles.WithSidecarFor(request.OutputPath)
                .Select(files => (Files: files, Record: CheckpointRecord.Read(files)))
                .Where(c => c.Record is not null).ToList();
            if (own.Count > 0)
            {
                var (files, record) = own.FirstOrDefault(c => RunFingerprint.Differences(c.Record!.Settings, fingerprint, ignore).Count == 0);
                if (record is null)
                    throw new CheckpointMismatchException(own[0].Files.Image, RunFingerprint.Differences(own[0].Record!.Settings, fingerprint, ignore), own[0].Files);
                if (request.SeedFromCheckpoint)
                {
                    if (!long.TryParse(record.Settings.GetValueOrDefault(RunFingerprint.SeedKey), System.Globalization.CultureInfo.InvariantCulture, out var seed))
                        throw CheckpointRecord.Damaged(files, "its sidecar records no valid seed");
                    plan = plan with { Request = plan.Request with { Seed = seed } };
                    fingerprint = new Dictionary<string, string>(fingerprint) { [RunFingerprint.SeedKey] = record.Settings[RunFingerprint.SeedKey] };
                }
                record.Verify(files, plan);
                return plan with { Checkpoint = new CheckpointPlan(files, request.Interval, fingerprint, record) };
            }
        }
        return plan with { Checkpoint = new CheckpointPlan(CheckpointFiles.FreeFor(request.OutputPath), request.Interval, fingerprint, null) };
    }
}
