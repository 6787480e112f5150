using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>Mean squared difference of neighbouring pixels: a size-independent measure of roughness.</summary>
public static class TotalVariation
{
    /// <param name="wrap">Count the wrap-around too (tileable output), so the seam is smoothed like any other line.</param>
    public static Tensor Of(Tensor image, bool wrap = false)
    {
        using var scope = NewDisposeScope();
        Tensor dx, dy;
        if (wrap)
        {
            dx = image.sub(image.roll(1, 3)).square().mean();
            dy = image.sub(image.roll(1, 2)).square().mean();
        }
        else
        {
            dx = image[.., .., .., 1..].sub(image[.., .., .., ..^1]).square().mean();
            dy = image[.., .., 1.., ..].sub(image[.., .., ..^1, ..]).square().mean();
        }
        return dx.add(dy).MoveToOuterDisposeScope();
    }
}
