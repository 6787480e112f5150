using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// A checkpoint's sidecar (&lt;checkpoint&gt;.json): which run wrote it (its <see cref="RunFingerprint"/>), where it
/// stopped, and the size and hash of its pixel file. Written last, after the pixels, so it only ever names
/// pixels that are complete; its <see cref="Format"/> marker tells a NeuralStyle checkpoint from a user's look-alike file.
/// </summary>
public sealed record CheckpointRecord
{
    public const string FormatName = "NeuralStyle checkpoint";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = CurrentVersion;

    /// <summary>The output the run was making (for people reading the file; the checkpoint is found by its name).</summary>
    public required string Output { get; init; }

    /// <summary>The stage (0-based) of the coarse-to-fine schedule and the steps of it done.</summary>
    public required int Stage { get; init; }
    public required int Stages { get; init; }
    public required int Step { get; init; }
    public required int StageSteps { get; init; }

    /// <summary>The stage's size: the pixel file's.</summary>
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required string PixelsSha256 { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    [JsonIgnore]
    public ResumePoint Position => new(Stage, Step);

    public void Write(string sidecar) =>
        AtomicFile.Write(sidecar, stream => stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json))), overwrite: true);

    /// <summary>The sidecar of <paramref name="files"/>; null when the file is JSON but not a NeuralStyle checkpoint (a user's file).</summary>
    /// <exception cref="CheckpointDamagedException">Not JSON, truncated, incomplete, or of a later version.</exception>
    public static CheckpointRecord? Read(CheckpointFiles files)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllBytes(files.Sidecar)); }
        catch (JsonException e) { throw Damaged(files, $"its sidecar '{Path.GetFileName(files.Sidecar)}' is not valid JSON (truncated?): {e.Message}"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String ||
                format.GetString() != FormatName)
                return null;
            CheckpointRecord? record;
            try { record = document.RootElement.Deserialize<CheckpointRecord>(Json); }
            catch (JsonException e) { throw Damaged(files, $"its sidecar '{Path.GetFileName(files.Sidecar)}' is incomplete: {e.Message}"); }
            if (record is null || record.Settings is null || record.PixelsSha256 is null)
                throw Damaged(files, $"its sidecar '{Path.GetFileName(files.Sidecar)}' is incomplete");
            if (record.Version != CurrentVersion)
                throw Damaged(files, $"its sidecar has format version {record.Version}; this NeuralStyle reads version {CurrentVersion}");
            return record;
        }
    }

    /// <summary>Checks that this record fits <paramref name="plan"/>'s schedule and that its pixel file is complete and unchanged.</summary>
    /// <exception cref="CheckpointDamagedException">It does not.</exception>
    public void Verify(CheckpointFiles files, SynthesisPlan plan)
    {
        var stage = Stage >= 0 && Stage < plan.Stages.Count ? plan.Stages[Stage].Stage : null;
        if (stage is null || Stages != plan.Stages.Count || Width != stage.Width || Height != stage.Height || Step < 0 || Step > stage.Steps)
            throw Damaged(files, $"its sidecar records stage {Stage + 1} of {Stages} at {Width}×{Height}, step {Step}, which is not a point of this run's schedule");
        if (CheckpointPixels.Problem(files.Pixels, Width, Height, PixelsSha256) is { } problem) throw Damaged(files, problem);
    }

    public static CheckpointDamagedException Damaged(CheckpointFiles files, string reason) => new(files.Image, reason, files);
}
