using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>Reads a PyTorch state dict (name → tensor) from a <c>.pth</c> or <c>.safetensors</c> file, on the CPU.</summary>
public static class StateDictFile
{
    /// <summary>
    /// Reads every tensor in the file. The format is taken from the content, not the extension:
    /// a zip archive is a <c>torch.save</c> file, an 8-byte length followed by JSON is safetensors.
    /// The caller owns (and disposes) the returned tensors.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="keep">Which tensor names to return (all when null). The legacy reader does not even read the
    /// others from disk; PyBridge's zip and safetensors readers read everything, the rest is released at once.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="StateDictFormatException">The file is neither format, or is damaged.</exception>
    public static Dictionary<string, Tensor> Read(string path, Func<string, bool>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{path}' was not found.", path);
        }
        var head = new byte[16];
        int read;
        using (var probe = File.OpenRead(path))
        {
            read = probe.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        try
        {
            if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            {
                return Only(ReadTorchZip(path), keep);
            }
            if (read >= 9 && head[8] == '{')
            {
                using var stream = File.OpenRead(path);
                return Only(Safetensors.LoadStateDict(stream), keep);
            }
            if (read >= 2 && head[0] == 0x80)
            {
                // A pickle stream: torch.save's format before PyTorch 1.6.
                return LegacyTorchFile.Read(path, keep);
            }
        }
        catch (Exception e) when (e is not StateDictFormatException and not OperationCanceledException and not OutOfMemoryException)
        {
            throw new StateDictFormatException($"'{path}' could not be read as a PyTorch state dict: {e.Message}", e);
        }
        throw new StateDictFormatException(
            $"'{path}' is not a PyTorch state dict: expected a torch.save file (.pth) or a safetensors file.");
    }

    private static Dictionary<string, Tensor> Only(Dictionary<string, Tensor> all, Func<string, bool>? keep)
    {
        if (keep is null) return all;
        foreach (var key in all.Keys.Where(k => !keep(k)).ToList())
        {
            all.Remove(key, out var dropped);
            dropped!.Dispose();
        }
        return all;
    }

    private static Dictionary<string, Tensor> ReadTorchZip(string path)
    {
        using var stream = File.OpenRead(path);
        var table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: false);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                result[key] = tensor;
            }
        }
        return result;
    }
}
