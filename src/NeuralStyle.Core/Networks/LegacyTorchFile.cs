using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// Reads the pre-1.6 <c>torch.save</c> format, which torchvision's 2017 files (vgg19-dcbb9e9d.pth)
/// use and TorchSharp.PyBridge does not: four pickles (magic number, protocol version, system info,
/// the state dict with storages as persistent ids), a pickled list of storage keys, then each
/// storage as an int64 element count followed by its raw little-endian bytes.
/// </summary>
internal static class LegacyTorchFile
{
    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture); // 0x1950a86a20f9469cfc6c
    private const int ProtocolVersion = 1001;

    /// <summary>
    /// Reads the tensors whose names <paramref name="keep"/> accepts (all when null). Storages no kept tensor uses
    /// are skipped on disk, and the kept ones are read straight into tensor memory, so loading the features of
    /// torchvision's VGG19 (80 MB of its 548 MB; the rest is the classifier) costs about 80 MB.
    /// </summary>
    public static Dictionary<string, Tensor> Read(string path, Func<string, bool>? keep = null)
    {
        LegacyUnpickler.EnsureRegistered();
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 16);
        var magic = new Unpickler().load(stream);
        if (magic is not BigInteger m || m != MagicNumber)
        {
            throw new StateDictFormatException($"'{path}' starts with a pickle but is not a torch.save file (wrong magic number).");
        }
        var protocol = Convert.ToInt64(new Unpickler().load(stream), System.Globalization.CultureInfo.InvariantCulture);
        if (protocol != ProtocolVersion)
        {
            throw new StateDictFormatException($"'{path}' uses torch.save protocol {protocol}; only {ProtocolVersion} is known.");
        }
        if (new Unpickler().load(stream) is IDictionary sysInfo && sysInfo["little_endian"] is false)
        {
            throw new StateDictFormatException($"'{path}' was saved on a big-endian machine, which is not supported.");
        }

        var unpickler = new LegacyUnpickler();
        var root = unpickler.load(stream) as IDictionary
            ?? throw new StateDictFormatException($"'{path}' does not hold a state dict (a dictionary of tensors); save model.state_dict(), not the model.");
        var keys = ((IEnumerable)new Unpickler().load(stream)).Cast<object>().Select(k => k.ToString()!).ToList();
        var wanted = root.Cast<DictionaryEntry>()
            .Where(e => e.Key is string name && e.Value is TensorReference && (keep is null || keep(name)))
            .ToList();
        var needed = wanted.Select(e => ((TensorReference)e.Value!).Storage.Key).ToHashSet(StringComparer.Ordinal);

        var storages = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var count = new byte[8];
            foreach (var key in keys)
            {
                var storage = unpickler.Storages[key];
                stream.ReadExactly(count);
                var elements = BitConverter.ToInt64(count);
                if (elements != storage.Elements)
                {
                    throw new StateDictFormatException($"'{path}': storage {key} holds {elements} elements, {storage.Elements} expected (file damaged?).");
                }
                if (!needed.Contains(key))
                {
                    stream.Seek(checked(elements * storage.ElementSize), SeekOrigin.Current);
                    continue;
                }
                var tensor = torch.empty(elements, storage.DType);
                storages[key] = tensor;
                ReadInto(stream, tensor);
            }
            if (stream.Position > stream.Length)
            {
                throw new EndOfStreamException($"'{path}' ends inside its tensor data (file truncated?).");
            }
            foreach (var entry in wanted)
            {
                var t = (TensorReference)entry.Value!;
                var flat = storages[t.Storage.Key];
                using var view = flat.as_strided(t.Shape, t.Stride, t.Offset);
                result[(string)entry.Key] = view.contiguous();
            }
            return result;
        }
        catch
        {
            foreach (var r in result.Values) r.Dispose();
            throw;
        }
        finally
        {
            // A view that was already contiguous shares its storage: disposing our handle here frees nothing it needs.
            foreach (var s in storages.Values) s.Dispose();
        }
    }

    // Straight into the tensor's CPU memory (Tensor.bytes is a span over it), in chunks below Span's 2 GB limit.
    private static void ReadInto(Stream stream, Tensor flat)
    {
        const long ChunkElements = 1 << 20;
        for (long start = 0; start < flat.NumberOfElements; start += ChunkElements)
        {
            using var chunk = flat.narrow(0, start, Math.Min(ChunkElements, flat.NumberOfElements - start));
            stream.ReadExactly(chunk.bytes);
        }
    }

    private sealed record StorageReference(string Key, ScalarType DType, long Elements)
    {
        public long ElementSize => DType switch
        {
            ScalarType.Float64 or ScalarType.Int64 => 8,
            ScalarType.Float32 or ScalarType.Int32 => 4,
            ScalarType.Float16 or ScalarType.Int16 => 2,
            _ => 1,
        };
    }

    private sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Stride);

    private sealed class LegacyUnpickler : Unpickler
    {
        private static readonly object Gate = new();
        private static bool registered;

        public Dictionary<string, StorageReference> Storages { get; } = new(StringComparer.Ordinal);

        /// <summary>
        /// Razorvine's constructor table is global and PyBridge fills it too (for its zip reader). Ours
        /// wraps theirs: our storage references are built here, anything else goes to PyBridge.
        /// </summary>
        public static void EnsureRegistered()
        {
            lock (Gate)
            {
                if (registered) return;
                RuntimeHelpers.RunClassConstructor(typeof(PyTorchUnpickler).TypeHandle);
                foreach (var name in new[] { "_rebuild_tensor", "_rebuild_tensor_v2" })
                {
                    objectConstructors.TryGetValue("torch._utils." + name, out var previous);
                    registerConstructor("torch._utils", name, new RebuildTensor(previous));
                }
                if (!objectConstructors.ContainsKey("collections.OrderedDict"))
                {
                    registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
                }
                registered = true;
            }
        }

        protected override object persistentLoad(object pid)
        {
            // ('storage', storage_type, key, location, size, view_metadata)
            var id = (object[])pid;
            if (id.Length < 5 || id[0] as string != "storage")
            {
                throw new StateDictFormatException("Unknown persistent id in a legacy torch.save file.");
            }
            var type = ((ClassDictConstructor)id[1]).name;
            var key = id[2].ToString()!;
            var elements = Convert.ToInt64(id[4], System.Globalization.CultureInfo.InvariantCulture);
            if (id.Length > 5 && id[5] is not null)
            {
                throw new StateDictFormatException("Storage views in legacy torch.save files are not supported.");
            }
            var storage = new StorageReference(key, DTypeOf(type), elements);
            Storages[key] = storage;
            return storage;
        }

        private static ScalarType DTypeOf(string storageType) => storageType switch
        {
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "HalfStorage" => ScalarType.Float16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            _ => throw new StateDictFormatException($"Unsupported storage type {storageType} in a legacy torch.save file."),
        };
    }

    private sealed class RebuildTensor(IObjectConstructor? previous) : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length >= 4 && args[0] is StorageReference storage)
            {
                return new TensorReference(storage, Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture), Longs(args[2]), Longs(args[3]));
            }
            return previous?.construct(args) ?? throw new PickleException("torch._utils._rebuild_tensor outside a state dict");
        }

        private static long[] Longs(object tuple) =>
            ((object[])tuple).Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new StateDictTable();
    }

    /// <summary>A state dict; the pickled instance state (<c>_metadata</c>) is not needed.</summary>
    private sealed class StateDictTable : Hashtable
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006", Justification = "Name fixed by the pickle protocol.")]
        public void __setstate__(Hashtable state)
        {
        }
    }
}
