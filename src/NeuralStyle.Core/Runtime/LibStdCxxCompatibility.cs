using System.Runtime.InteropServices;
using System.Text;

namespace NeuralStyle.Core.Runtime;

/// <summary>
/// Makes libLibTorchSharp.so (TorchSharp 0.107) load where the system libstdc++ predates GCC 13
/// (Debian 12, Ubuntu 22.04). The library requires the version GLIBCXX_3.4.32 only for
/// std::ios_base_library_init, which GCC 13's &lt;iostream&gt; references with a bare .globl (no
/// relocation uses it; older libstdc++ initialises iostreams itself). Marking that version
/// requirement weak (VER_FLG_WEAK in its .gnu.version_r entry) is therefore all the loader needs.
/// </summary>
public static class LibStdCxxCompatibility
{
    public const string RequiredVersion = "GLIBCXX_3.4.32";
    private const string VersionedSymbol = "_ZSt21ios_base_library_initv";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>True when this process's libstdc++ lacks GLIBCXX_3.4.32 (its one symbol is the proof).</summary>
    public static bool SystemLacksRequiredVersion()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libstdc++.so.6", out var handle))
        {
            return false;
        }
        return !NativeLibrary.TryGetExport(handle, VersionedSymbol, out _);
    }

    /// <summary>Marks the file's requirement on <paramref name="version"/> weak. False when the file has no such requirement.</summary>
    public static bool MarkVersionNeedWeak(string path, string version = RequiredVersion)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 0x40 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[4] != 2 || bytes[5] != 1)
        {
            throw new InvalidDataException($"'{path}' is not a little-endian 64-bit ELF file.");
        }
        var span = bytes.AsSpan();
        var sectionHeaders = (long)U64(span, 0x28);
        int entrySize = U16(span, 0x3A), count = U16(span, 0x3C);
        var patched = false;
        for (var i = 0; i < count; i++)
        {
            var header = sectionHeaders + (long)i * entrySize;
            if (U32(span, header + 4) != ShtGnuVerneed)
            {
                continue;
            }
            var need = (long)U64(span, header + 0x18);
            var strings = (long)U64(span, sectionHeaders + (long)U32(span, header + 0x28) * entrySize + 0x18);
            while (true)
            {
                var aux = need + U32(span, need + 8);
                for (var j = 0; j < U16(span, need + 2); j++)
                {
                    if (CString(bytes, strings + U32(span, aux + 8)) == version)
                    {
                        BitConverter.TryWriteBytes(span[(int)(aux + 4)..], (ushort)(U16(span, aux + 4) | VerFlgWeak));
                        patched = true;
                    }
                    aux += U32(span, aux + 12);
                }
                var next = U32(span, need + 12);
                if (next == 0)
                {
                    break;
                }
                need += next;
            }
        }
        if (patched)
        {
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        return patched;
    }

    private static ushort U16(ReadOnlySpan<byte> b, long offset) => BitConverter.ToUInt16(b[(int)offset..]);

    private static uint U32(ReadOnlySpan<byte> b, long offset) => BitConverter.ToUInt32(b[(int)offset..]);

    private static ulong U64(ReadOnlySpan<byte> b, long offset) => BitConverter.ToUInt64(b[(int)offset..]);

    private static string CString(byte[] b, long offset)
    {
        var end = Array.IndexOf(b, (byte)0, (int)offset);
        return Encoding.ASCII.GetString(b, (int)offset, end - (int)offset);
    }
}
