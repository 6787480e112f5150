using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Synthesis;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Synthesis;

/// <summary>Issue #11 (8): the files, sidecar and fingerprint that make an interrupted run resumable, and the checks before resuming.</summary>
public sealed class CheckpointTests : IDisposable
{
    private const string Model = "resnet18, weights (1 bytes, SHA-256 00)";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    private string Png(string name, byte grey = 128, int size = 64)
    {
        var path = dir.File(name);
        using var image = new Image<Rgb24>(size, size, new Rgb24(grey, (byte)(255 - grey), 40));
        image.SaveAsPng(path);
        return path;
    }

    private SynthesisPlan Plan(string source, bool resume = true, int steps = 4, long seed = 3, bool seedFromCheckpoint = false) =>
        SynthesisPlanner.Plan(new SynthesisRequest
        {
            Styles = [new WeightedSource(source)], Width = 64, Height = 64, Octaves = 2, StepsPerStage = steps, Seed = seed,
            Checkpoints = new CheckpointRequest(dir.File("out.png"), 2, resume, seedFromCheckpoint),
        }, NetworkProfiles.ResNet18);

    /// <summary>What a run of <paramref name="plan"/> leaves when stopped after <paramref name="step"/> steps of its last stage.</summary>
    private CheckpointFiles WriteCheckpoint(SynthesisPlan plan, int step = 2, float value = 0.25f)
    {
        var files = CheckpointFiles.FreeFor(dir.File("out.png"));
        var stage = plan.Stages[^1].Stage;
        using var pixels = full(new long[] { 1, 3, stage.Height, stage.Width }, value);
        File.Copy(Png("tmp.png"), files.Image);
        new CheckpointRecord
        {
            Output = dir.File("out.png"), Stage = stage.Index, Stages = plan.Stages.Count, Step = step, StageSteps = stage.Steps,
            Width = stage.Width, Height = stage.Height, PixelsSha256 = CheckpointPixels.Write(pixels, files.Pixels),
            Settings = RunFingerprint.Of(plan, Model),
        }.Write(files.Sidecar);
        return files;
    }

    private Dictionary<string, string> Snapshot() => dir.Entries().ToDictionary(n => n, n => Convert.ToHexString(File.ReadAllBytes(dir.File(n))));

    [Fact]
    public void FreeFor_SkipsANameWhenAnyOfItsThreeFilesExists()
    {
        Assert.Equal(dir.File("out.checkpoint.png"), CheckpointFiles.FreeFor(dir.File("out.png")).Image);
        Png("out.checkpoint.png");
        File.WriteAllText(dir.File("out.checkpoint.1.png.json"), "a user's notes");
        Directory.CreateDirectory(dir.File("out.checkpoint.2.png.f32"));
        var files = CheckpointFiles.FreeFor(dir.File("out.png"));
        Assert.Equal(dir.File("out.checkpoint.3.png"), files.Image);
        Assert.Equal([files.Image, files.Image + ".json", files.Image + ".f32"], files.All);
    }

    [Fact]
    public void WithSidecarFor_FindsOnlyThisOutputsCheckpointNames_NewestFirst()
    {
        foreach (var name in new[] { "out.checkpoint.png.json", "out.checkpoint.7.png.json", "out.checkpoint.x.png.json", "out.checkpoint..png.json",
                     "out2.checkpoint.png.json", "out.checkpoint.png", "out.checkpoint.3.png" })
            File.WriteAllText(dir.File(name), "{}");
        File.SetLastWriteTimeUtc(dir.File("out.checkpoint.png.json"), DateTime.UtcNow.AddMinutes(-5));
        var found = CheckpointFiles.WithSidecarFor(dir.File("out.png")).Select(f => Path.GetFileName(f.Image));
        Assert.Equal(["out.checkpoint.7.png", "out.checkpoint.png"], found);
        Assert.Empty(CheckpointFiles.WithSidecarFor(Path.Combine(dir.Path, "missing", "out.png")));
    }

    [Fact]
    public void Pixels_RoundTripExactly_OutOfRangeValuesIncluded_AndDamageIsNamed()
    {
        var path = dir.File("p.f32");
        using var pixels = rand(new long[] { 1, 3, 5, 7 }).mul(1.4).sub(0.2);
        var sha = CheckpointPixels.Write(pixels, path);
        Assert.Equal(CheckpointPixels.ByteCount(7, 5), new FileInfo(path).Length);
        Assert.Null(CheckpointPixels.Problem(path, 7, 5, sha));
        using var back = CheckpointPixels.Read(path, 7, 5, sha, CPU);
        Assert.Equal(pixels.data<float>().ToArray(), back.data<float>().ToArray());
        Assert.True(pixels.min().item<float>() < 0 && pixels.max().item<float>() > 1); // what an 8-bit PNG would have lost

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..100]);
        Assert.Contains("truncated", CheckpointPixels.Problem(path, 7, 5, sha));
        bytes[3] ^= 1;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("does not have the content", CheckpointPixels.Problem(path, 7, 5, sha));
        Assert.Throws<InvalidDataException>(() => CheckpointPixels.Read(path, 7, 5, sha, CPU));
    }

    [Fact]
    public void Record_RoundTrips_AndAForeignJsonIsNotACheckpoint_ButABrokenOneIsDamaged()
    {
        var plan = Plan(Png("src.png"));
        var files = WriteCheckpoint(plan, step: 3);
        var record = CheckpointRecord.Read(files)!;
        Assert.Equal((1, 2, 3, 4, 64, 64), (record.Stage, record.Stages, record.Step, record.StageSteps, record.Width, record.Height));
        Assert.Equal(RunFingerprint.Of(plan, Model), record.Settings);

        File.WriteAllText(files.Sidecar, """{ "note": "my own file" }""");
        Assert.Null(CheckpointRecord.Read(files));
        File.WriteAllText(files.Sidecar, """{ "format": "NeuralStyle checkpoint", "vers""");
        var e = Assert.Throws<CheckpointDamagedException>(() => CheckpointRecord.Read(files));
        Assert.Equal(files.Image, e.Path);
        Assert.Contains("not valid JSON", e.Message);
        File.WriteAllText(files.Sidecar, """{ "format": "NeuralStyle checkpoint", "version": 1 }""");
        Assert.Throws<CheckpointDamagedException>(() => CheckpointRecord.Read(files));
    }

    [Fact]
    public void Fingerprint_ChangesWithEverySettingThatDecidesTheResult_NotWithTheFilesTimeOrFolder()
    {
        var source = Png("src.png");
        var baseline = RunFingerprint.Of(Plan(source), Model);
        Assert.Equal(["Iterations per stage was 4, now 5"], RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source, steps: 5), Model)));
        Assert.Equal(["Seed was 3, now 4"], RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source, seed: 4), Model)));
        Assert.Empty(RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source, seed: 4), Model), RunFingerprint.SeedKey));
        Assert.Single(RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source), "vgg19, other weights")));

        // Touched or copied elsewhere: the same input. Edited: another one.
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddDays(-3));
        Directory.CreateDirectory(dir.File("moved"));
        File.Copy(source, Path.Combine(dir.Path, "moved", "src.png"));
        Assert.Empty(RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source), Model)));
        Assert.Empty(RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(Path.Combine(dir.Path, "moved", "src.png")), Model)));
        Png("src.png", grey: 90);
        var edited = RunFingerprint.Differences(baseline, RunFingerprint.Of(Plan(source), Model));
        Assert.StartsWith("Source 1 was src.png (", Assert.Single(edited));
    }

    [Fact]
    public void Apply_ResumesTheMatchingCheckpoint_AndTakesItsSeedWhenTheUserGaveNone()
    {
        var source = Png("src.png");
        var files = WriteCheckpoint(Plan(source, seed: 77), step: 2);
        var plan = CheckpointPlan.Apply(Plan(source, seed: 5, seedFromCheckpoint: true), Model);
        Assert.Equal(files, plan.Checkpoint!.Files);
        Assert.Equal(new ResumePoint(1, 2), plan.Checkpoint.ResumeFrom!.Position);
        Assert.Equal(77, plan.Request.Seed);
        Assert.Equal("77", plan.Checkpoint.Fingerprint[RunFingerprint.SeedKey]);
        Assert.Contains(plan.Describe(), line => line.StartsWith($"Resuming from '{files.Image}': stage 2 of 2, after step 2 of 4"));

        // Without -Resume the checkpoint is left alone and the run takes a free name.
        Assert.Equal(dir.File("out.checkpoint.1.png"), CheckpointPlan.Apply(Plan(source, resume: false), Model).Checkpoint!.Files.Image);
    }

    [Fact]
    public void Apply_RefusesAMismatchOrDamage_BeforeAnyWork_AndChangesNoFile()
    {
        var source = Png("src.png");
        var files = WriteCheckpoint(Plan(source));
        var before = Snapshot();

        var mismatch = Assert.Throws<CheckpointMismatchException>(() => CheckpointPlan.Apply(Plan(source, steps: 6, seed: 9), Model));
        Assert.Equal(files.Image, mismatch.Path);
        Assert.Equal(["Iterations per stage was 4, now 6", "Seed was 3, now 9"], mismatch.Differences);
        Assert.Contains("without -Resume", mismatch.Message);

        File.WriteAllBytes(files.Pixels, File.ReadAllBytes(files.Pixels)[..1000]);
        var damaged = Assert.Throws<CheckpointDamagedException>(() => CheckpointPlan.Apply(Plan(source), Model));
        Assert.Equal(files.Image, damaged.Path);
        Assert.Contains("truncated", damaged.Message);
        before[Path.GetFileName(files.Pixels)] = Convert.ToHexString(File.ReadAllBytes(files.Pixels));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Apply_IgnoresLookAlikeFiles_AndStartsFreshWhenThereIsNoCheckpoint()
    {
        var source = Png("src.png");
        Png("out.checkpoint.png");
        File.WriteAllText(dir.File("out.checkpoint.png.json"), """{ "mine": true }""");
        var plan = CheckpointPlan.Apply(Plan(source), Model);
        Assert.Null(plan.Checkpoint!.ResumeFrom);
        Assert.Equal(dir.File("out.checkpoint.1.png"), plan.Checkpoint.Files.Image);
        Assert.Equal(CheckpointRequest.DefaultEvery, new CheckpointRequest("x.png", 0, Resume: true).Interval);
    }
}
