using NeuralStyle.Core.Imaging;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Writes the image being optimised every N steps, so a long run can be watched, salvaged or resumed: the exact
/// pixels, the PNG to look at, then the sidecar that records the run and the step (each atomically; the sidecar
/// last, so it never names pixels that are not complete).
/// </summary>
internal sealed class CheckpointWriter(CheckpointPlan plan, string output, int stages)
{
    public int Written { get; private set; }

    public static CheckpointWriter? For(SynthesisPlan plan) =>
        plan.Checkpoint is { } checkpoint ? new CheckpointWriter(checkpoint, plan.Request.Checkpoints!.OutputPath, plan.Stages.Count) : null;

    /// <param name="step">Steps of <paramref name="stage"/> done, counted from the stage's start (also in a resumed run).</param>
    public void MaybeWrite(SynthesisStage stage, int step, Tensor pixels)
    {
        if (step % plan.Every != 0) return;
        using var scope = NewDisposeScope();
        var files = plan.Files;
        var sha256 = CheckpointPixels.Write(pixels, files.Pixels);
        using var image = new RgbImage(pixels.detach().clamp(0, 1).cpu().contiguous());
        ImageCodec.Write(image, files.Image, new ImageWriteOptions(ImageFileFormats.FromExtension(files.Image)) { Overwrite = true });
        new CheckpointRecord
        {
            Output = Path.GetFullPath(output), Stage = stage.Index, Stages = stages, Step = step, StageSteps = stage.Steps,
            Width = stage.Width, Height = stage.Height, PixelsSha256 = sha256, Settings = plan.Fingerprint,
        }.Write(files.Sidecar);
        Written++;
    }
}
