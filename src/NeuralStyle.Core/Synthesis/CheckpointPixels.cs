using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NeuralStyle.Core.Imaging;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// The image being optimised, exactly: raw little-endian float32, channel-major (3 × height × width), neither
/// clamped nor quantised. The PNG beside it is 8-bit and clamped to [0,1]; resuming from it would move every
/// pixel by up to half a grey level and lose the out-of-range values the optimiser is still pulling back.
/// Costs 12 bytes a pixel (200 MB at 4096², where the optimiser itself holds gigabytes).
/// </summary>
public static class CheckpointPixels
{
    public static long ByteCount(int width, int height) => 3L * width * height * sizeof(float);

    /// <summary>Writes <paramref name="pixels"/> ([1,3,H,W]) atomically and returns the bytes' SHA-256 (hex).</summary>
    public static string Write(Tensor pixels, string path)
    {
        using var scope = NewDisposeScope();
        var values = pixels.detach().to(float32).cpu().contiguous().data<float>().ToArray();
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are written on little-endian machines only.");
        var hash = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        AtomicFile.Write(path, stream => stream.Write(MemoryMarshal.AsBytes(values.AsSpan())), overwrite: true);
        return hash;
    }

    /// <summary>Why the file at <paramref name="path"/> is not the <paramref name="width"/>×<paramref name="height"/> image with that hash; null when it is.</summary>
    public static string? Problem(string path, int width, int height, string sha256)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return $"its pixel file '{info.Name}' is missing";
        if (info.Length != ByteCount(width, height))
            return $"its pixel file '{info.Name}' has {info.Length} bytes, not the {ByteCount(width, height)} of a {width}×{height} image (truncated?)";
        return Models.Sha256File.Compute(path) == sha256 ? null : $"its pixel file '{info.Name}' does not have the content its sidecar records (damaged, or from another step)";
    }

    /// <summary>Reads the image back as [1,3,H,W] float32 on <paramref name="device"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not that image (length or hash).</exception>
    public static Tensor Read(string path, int width, int height, string sha256, Device device)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.LongLength != ByteCount(width, height) || Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant() != sha256)
            throw new InvalidDataException(Problem(path, width, height, sha256) ?? "the pixel file changed while it was read");
        var values = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        return tensor(values, [1, 3, height, width], float32).to(device);
    }
}
