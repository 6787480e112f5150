namespace NeuralStyle.Core.Pyramids;

/// <summary>The image is too small for the requested number of octaves.</summary>
public sealed class PyramidTooSmallException(
    string? source, int width, int height, int octaves, int smallestWidth, int smallestHeight, int minimumSide, int maxOctaves)
    : ArgumentException(
        $"{(source is null ? "The image" : $"'{source}'")} is {width}×{height}: with {octaves} octaves its smallest level would be " +
        $"{smallestWidth}×{smallestHeight}, but every level needs at least {minimumSide} px per side. " +
        (maxOctaves >= 1 ? $"Use -Octaves {maxOctaves} or fewer, or a larger image." : $"Use an image of at least {minimumSide}×{minimumSide} px."))
{
    public int Octaves { get; } = octaves;
    public int MaxOctaves { get; } = maxOctaves;
    public int MinimumSide { get; } = minimumSide;
}
