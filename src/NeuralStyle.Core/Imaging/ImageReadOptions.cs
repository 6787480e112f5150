namespace NeuralStyle.Core.Imaging;

/// <summary>How <see cref="ImageCodec.Read"/> decodes a file.</summary>
public sealed record ImageReadOptions
{
    /// <summary>16384² pixels: a 16 k square photo still decodes, a hostile header claiming 100 000² does not.</summary>
    public const long DefaultMaxPixels = 268_435_456;

    private readonly long _maxPixels = DefaultMaxPixels;

    /// <summary>
    /// Largest width×height we agree to decode. Checked against the file header before any pixel memory is
    /// allocated, because a few-byte file can claim gigapixels and the decoder would try to honour it.
    /// </summary>
    public long MaxPixels
    {
        get => _maxPixels;
        init => _maxPixels = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, "MaxPixels must be positive.");
    }

    public static ImageReadOptions Default { get; } = new();
}
