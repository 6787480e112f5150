using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace NeuralStyle.Bench;

/// <summary>
/// Raw little-endian float32 tensors with a JSON sidecar (PATH.json: shape, dtype, layout): the
/// simplest format numpy reads without any image library, so both engines see bit-identical inputs.
/// </summary>
public static class RawTensorFile
{
    private sealed record Sidecar(long[] Shape, string Dtype, string ByteOrder, string Layout, string Values, string Source);

    public static void Write(Tensor tensor, string path, string source)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The raw files are little-endian.");
        using var cpu = tensor.detach().cpu().contiguous().to(ScalarType.Float32);
        var data = cpu.data<float>().ToArray();
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        Json.Write(path + ".json", new Sidecar(cpu.shape, "float32", "little", "NCHW", "RGB in [0,1]", source));
    }

    public static Tensor Read(string path)
    {
        var meta = Json.Read<Sidecar>(path + ".json");
        if (meta.Dtype != "float32" || meta.ByteOrder != "little")
            throw new InvalidDataException($"'{path}': expected little-endian float32, the sidecar says {meta.Dtype}/{meta.ByteOrder}.");
        var data = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
        if (data.LongLength != meta.Shape.Aggregate(1L, (a, b) => a * b))
            throw new InvalidDataException($"'{path}' holds {data.Length} values, the sidecar's shape [{string.Join(",", meta.Shape)}] needs more or fewer.");
        return tensor(data, meta.Shape);
    }
}
