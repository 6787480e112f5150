using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// What style targets depend on, so a pipeline computes them once per distinct style: the source
/// files as they are now (size and time: an edited source is a new style), and every setting that
/// changes the targets.
/// </summary>
/// <param name="StyleLongSide">The long side the styles are scaled to (a transfer); null keeps their size (a texture).</param>
/// <param name="SourceScale">A texture's sources' scale (1 for a transfer, whose styles follow <paramref name="StyleLongSide"/>).</param>
/// <param name="ColourReference">The content the styles were recoloured for, when a colour-preserving mode adapts them.</param>
public sealed record StyleTargetKey(
    IReadOnlyList<SourceStamp> Sources,
    int Octaves,
    StyleLossKind Kind,
    IReadOnlyList<StyleLayer> Layers,
    NetworkPadding Padding,
    int? StyleLongSide,
    double SourceScale,
    ColorPreservation PreserveColor,
    string? ColourReference)
{
    public bool Equals(StyleTargetKey? other) =>
        other is not null && Sources.SequenceEqual(other.Sources) && Layers.SequenceEqual(other.Layers) && Octaves == other.Octaves &&
        Kind == other.Kind && Padding == other.Padding && StyleLongSide == other.StyleLongSide &&
        SourceScale == other.SourceScale && PreserveColor == other.PreserveColor &&
        ColourReference == other.ColourReference;

    public override int GetHashCode() =>
        HashCode.Combine(Sources.Count > 0 ? Sources[0] : null, Octaves, Kind, Padding, StyleLongSide, PreserveColor, ColourReference);
}

/// <summary>A source file's identity for caching: full path, weight, length and last write time.</summary>
public sealed record SourceStamp(string FullPath, double Weight, long Length, long LastWriteTicks)
{
    public static SourceStamp Of(WeightedSource source)
    {
        var info = new FileInfo(source.Path);
        return new SourceStamp(info.FullName, source.Weight, info.Exists ? info.Length : -1, info.Exists ? info.LastWriteTimeUtc.Ticks : 0);
    }
}
