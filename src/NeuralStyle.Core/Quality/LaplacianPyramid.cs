using NeuralStyle.Core.Pyramids;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// Burt &amp; Adelson's Laplacian pyramid on the engine's Gaussian pyramid: level k is octave k minus
/// the expansion of octave k+1 (the detail that octave k adds), the last level is the coarsest
/// octave itself. Level 0 holds the finest detail.
/// </summary>
public static class LaplacianPyramid
{
    public static IReadOnlyList<Tensor> Build(Tensor image, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        using var scope = NewDisposeScope();
        var gaussian = GaussianPyramid.Build(image, levels);
        var result = new List<Tensor>(levels);
        for (var k = 0; k < levels - 1; k++)
            result.Add(gaussian[k].sub(Expand(gaussian[k + 1], (int)gaussian[k].shape[3], (int)gaussian[k].shape[2])).MoveToOuterDisposeScope());
        result.Add(gaussian[^1].clone().MoveToOuterDisposeScope());
        return result;
    }

    /// <summary>EXPAND: the samples back on the even pixels of a width×height grid, zeros between, blurred with the same kernel ×4 (×2 per axis keeps the gain 1).</summary>
    public static Tensor Expand(Tensor coarse, int width, int height)
    {
        using var scope = NewDisposeScope();
        var grid = zeros([coarse.shape[0], coarse.shape[1], height, width], dtype: coarse.dtype, device: coarse.device);
        grid[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)] = coarse;
        return GaussianPyramid.Blur(grid).mul(4).MoveToOuterDisposeScope();
    }
}
