using NeuralStyle.Core.Imaging;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>Writes the image being optimised every N steps, atomically, so a long run can be watched or salvaged.</summary>
internal sealed class CheckpointWriter(string path, int every)
{
    public int Written { get; private set; }

    /// <summary>A writer when checkpoints were asked for (every N &gt; 0 steps to a path), else null.</summary>
    public static CheckpointWriter? For(int every, string? path) => every > 0 && path is not null ? new CheckpointWriter(path, every) : null;

    public void MaybeWrite(SynthesisStage stage, int step, Tensor pixels)
    {
        if (every <= 0 || step % every != 0) return;
        using var scope = NewDisposeScope();
        using var image = new RgbImage(pixels.detach().clamp(0, 1).cpu().contiguous());
        ImageCodec.Write(image, path, new ImageWriteOptions(ImageFileFormats.FromExtension(path)) { Overwrite = true });
        Written++;
    }
}
