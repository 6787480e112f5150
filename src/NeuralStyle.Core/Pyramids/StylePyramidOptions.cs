using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;

namespace NeuralStyle.Core.Pyramids;

/// <summary>What <see cref="StylePyramid.Build"/> needs besides the source path.</summary>
public sealed record StylePyramidOptions
{
    public int Octaves { get; init; } = 4;
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
    public PyramidBorder Border { get; init; } = PyramidBorder.Reflect;
    public int MinimumSide { get; init; } = GaussianPyramid.DefaultMinimumSide;
    public ImageReadOptions Read { get; init; } = ImageReadOptions.Default;
}
