using System.Text;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>
/// Writes float32 state dicts in the pre-1.6 torch.save layout (what torchvision's 2017 files use),
/// with hand-made protocol-2 pickles, so the legacy reader is tested without Python.
/// </summary>
internal static class LegacyTorchFileWriter
{
    public static byte[] Write(IReadOnlyDictionary<string, Tensor> stateDict)
    {
        using var output = new MemoryStream();
        Write(stateDict, output);
        return output.ToArray();
    }

    /// <summary>Streams the file (a full-size VGG19 is 548 MB: no second copy in memory).</summary>
    public static void Write(IReadOnlyDictionary<string, Tensor> stateDict, Stream output)
    {
        var w = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        // Magic number 0x1950a86a20f9469cfc6c as LONG1 (10 little-endian bytes).
        w.Write([0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, (byte)'.']);
        w.Write([0x80, 2, (byte)'M', 0xe9, 0x03, (byte)'.']); // 1001 as BININT2
        w.Write([0x80, 2, (byte)'}', (byte)'q', 0, (byte)'.']); // sys_info: {} (little endian assumed)

        var keys = stateDict.Keys.ToList();
        w.Write([0x80, 2]);
        Global(w, "collections", "OrderedDict");
        w.Write([(byte)')', (byte)'R', (byte)'(']); // EMPTY_TUPLE REDUCE MARK
        for (var i = 0; i < keys.Count; i++)
        {
            var t = stateDict[keys[i]];
            Unicode(w, keys[i]);
            Global(w, "torch._utils", "_rebuild_tensor_v2");
            w.Write((byte)'(');
            w.Write((byte)'(');
            Unicode(w, "storage");
            Global(w, "torch", "FloatStorage");
            Unicode(w, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Unicode(w, "cpu");
            Int(w, t.NumberOfElements);
            w.Write([(byte)'N', (byte)'t', (byte)'Q']); // None TUPLE BINPERSID
            Int(w, 0);
            Tuple(w, t.shape);
            Tuple(w, t.stride());
            w.Write((byte)0x89); // NEWFALSE
            Global(w, "collections", "OrderedDict");
            w.Write([(byte)')', (byte)'R', (byte)'t', (byte)'R']); // OrderedDict() TUPLE REDUCE
        }
        w.Write([(byte)'u', (byte)'.']); // SETITEMS STOP

        w.Write([0x80, 2, (byte)']', (byte)'(']);
        for (var i = 0; i < keys.Count; i++) Unicode(w, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.Write([(byte)'e', (byte)'.']); // APPENDS STOP

        foreach (var key in keys)
        {
            using var t = stateDict[key].contiguous();
            w.Write(t.NumberOfElements);
            w.Write(t.bytes);
        }
        w.Flush();
    }

    private static void Global(BinaryWriter w, string module, string name) =>
        w.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

    private static void Unicode(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((byte)'X');
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static void Int(BinaryWriter w, long value)
    {
        w.Write((byte)'J');
        w.Write(checked((int)value));
    }

    private static void Tuple(BinaryWriter w, long[] values)
    {
        w.Write((byte)'(');
        foreach (var v in values) Int(w, v);
        w.Write((byte)'t');
    }
}
