using System.Buffers.Binary;
using System.Text;

namespace NeuralStyle.Core.Tests.Imaging;

/// <summary>
/// Builds, byte by byte, a tiny ICC v4 matrix/TRC RGB display profile whose red and green primaries are sRGB's
/// green and red. Tagging an image with it means "the stored red channel is really green", so a decoder that
/// honours ICC profiles must swap them; one that ignores the profile would not. (ImageSharp 4 keeps its ICC
/// tag types internal, and no profile file can be assumed on a test machine.)
/// </summary>
internal static class SwappedPrimariesIcc
{
    private static readonly double[] D50 = [0.9642, 1.0, 0.8249];
    private static readonly double[] SrgbRed = [0.4360747, 0.2225045, 0.0139322];
    private static readonly double[] SrgbGreen = [0.3850649, 0.7168786, 0.0971045];
    private static readonly double[] SrgbBlue = [0.1430804, 0.0606169, 0.7141733];

    public static byte[] Build()
    {
        byte[] xyz(double[] v)
        {
            var b = new byte[20];
            Encoding.ASCII.GetBytes("XYZ ").CopyTo(b, 0);
            for (int i = 0; i < 3; i++)
                BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8 + 4 * i), (int)Math.Round(v[i] * 65536));
            return b;
        }

        var curve = new byte[16]; // 'curv', reserved, count 1, gamma 2.2 as u8Fixed8, padding
        Encoding.ASCII.GetBytes("curv").CopyTo(curve, 0);
        BinaryPrimitives.WriteUInt32BigEndian(curve.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(curve.AsSpan(12), (ushort)Math.Round(2.2 * 256));

        (string Sig, byte[] Data)[] tags =
        [
            ("wtpt", xyz(D50)),
            ("rXYZ", xyz(SrgbGreen)), // swapped on purpose
            ("gXYZ", xyz(SrgbRed)),
            ("bXYZ", xyz(SrgbBlue)),
            ("rTRC", curve), ("gTRC", curve), ("bTRC", curve),
        ];

        using var body = new MemoryStream();
        int dataStart = 128 + 4 + 12 * tags.Length;
        var table = new byte[4 + 12 * tags.Length];
        BinaryPrimitives.WriteInt32BigEndian(table, tags.Length);
        for (int i = 0; i < tags.Length; i++)
        {
            Encoding.ASCII.GetBytes(tags[i].Sig).CopyTo(table, 4 + 12 * i);
            BinaryPrimitives.WriteInt32BigEndian(table.AsSpan(8 + 12 * i), dataStart + (int)body.Length);
            BinaryPrimitives.WriteInt32BigEndian(table.AsSpan(12 + 12 * i), tags[i].Data.Length);
            body.Write(tags[i].Data);
        }

        var header = new byte[128];
        int size = 128 + table.Length + (int)body.Length;
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), 0x04300000); // version 4.3
        Encoding.ASCII.GetBytes("mntr").CopyTo(header, 12);
        Encoding.ASCII.GetBytes("RGB ").CopyTo(header, 16);
        Encoding.ASCII.GetBytes("XYZ ").CopyTo(header, 20);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(24), 2024); // date: year, month, day
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(28), 1);
        Encoding.ASCII.GetBytes("acsp").CopyTo(header, 36);
        for (int i = 0; i < 3; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(68 + 4 * i), (int)Math.Round(D50[i] * 65536));

        return [.. header, .. table, .. body.ToArray()];
    }
}
