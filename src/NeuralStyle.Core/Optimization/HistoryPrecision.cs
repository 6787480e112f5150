namespace NeuralStyle.Core.Optimization;

/// <summary>
/// How the L-BFGS curvature pairs are stored. Each step's two-loop recursion widens them back to the image's precision,
/// one vector at a time, so only the stored history shrinks.
/// </summary>
internal enum HistoryPrecision
{
    /// <summary>The image's own precision (float32 images: 4 bytes a value).</summary>
    Image,

    /// <summary>Half the image's precision (float32 images: bfloat16, 2 bytes a value).</summary>
    Half,

    /// <summary>
    /// One byte a value: int8 scaled by the absolute maximum of each block of 64 values (<see cref="HistoryVector.BlockLength"/>),
    /// plus one float scale a block. A block's largest values keep about 2.5 significant digits, its smallest fewer.
    /// </summary>
    Byte,
}

internal static class HistoryPrecisionBytes
{
    /// <summary>Bytes a stored value takes when the image is float32 (a byte vector's block scales not counted).</summary>
    public static int BytesPerFloat32Value(this HistoryPrecision precision) => precision switch
    {
        HistoryPrecision.Image => sizeof(float),
        HistoryPrecision.Half => 2,
        HistoryPrecision.Byte => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
    };
}
