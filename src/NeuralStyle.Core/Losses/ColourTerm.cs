using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// The colour distribution of the pixels themselves: sliced Wasserstein distance (Heitz et al. 2021;
/// Risser et al. 2017 match histograms for the same reason) between the generated image's RGB values
/// and the sources', on a fixed set of directions so L-BFGS sees one objective. The Gram terms fix
/// only second moments of features, and a grey-green mix of the right "texture" satisfies them:
/// this term pins the palette (dark grounds stay dark, saturated colours saturated). Relative to
/// the sources' colour variance, like every term. Reads no layers: evaluated on the whole image.
/// </summary>
/// <remarks>
/// The loss is w/(K·N·var) · Σ_k Σ_r (sort(d_kᵀX)_r − t_k,r)². Through autograd its graph held every
/// direction's projections, sort indices, resampled target and differences at once (~700 bytes per
/// pixel: 11 GiB for a 4096² texture). Its gradient is known in closed form — ∂L/∂(d_kᵀX)_j =
/// 2w/(K·N·var) · (the error at j's rank) — so value and gradient are computed without autograd, one
/// direction at a time, and only the image-sized gradient is kept until the backward pass. The sort
/// ranks integer keys (<see cref="Ranking"/>): libtorch's float sort was the term's main cost. What
/// follows the sort is one loop over the ranks (<see cref="RankErrors"/>).
/// </remarks>
/// <param name="styleOctave">The sources' octave this stage's full-size image is compared with.</param>
public sealed class ColourTerm(StyleTargets targets, int styleOctave, double weight) : ILossTerm
{
    /// <summary>
    /// Peak bytes per pixel of the image (float32) the term needs beyond the image and its gradient:
    /// the gradient it hands to the backward pass (12), one direction's projection and target (8; on the CPU the
    /// target is interpolated in the loop and the errors overwrite the projection, 4), its
    /// float64 copy for the sort keys (8, freed before the sort), the keys (4) and the radix sort's output
    /// and scratch (24). The slope ColourTermTests measures between 512² and 1024² read 53–134 over
    /// repeated runs on one machine (with the float sort: 54–85), hence the headroom.
    /// </summary>
    public const double PeakBytesPerPixel = 160;

    public LossPart Part => LossPart.Style;
    public int Octave => 0;
    public IReadOnlyList<string> Layers => [];

    /// <summary>The loss, whose gradient with respect to <see cref="LevelFeatures.Image"/> is the exact one, but with no graph through the sorts.</summary>
    public Tensor Loss(LevelFeatures level)
    {
        var image = level.Image;
        using var scope = NewDisposeScope();
        var (value, gradient) = ValueAndGradient(image);
        // X − X is exactly zero, so the value stays L bit for bit, and the backward pass carries G to the image.
        // The graph keeps only G (the product's other factor); the temporaries are freed with this scope.
        var loss = image.requires_grad ? value.add(image.sub(image.detach()).mul_(gradient).sum()) : value;
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>L and ∂L/∂X (shaped like <paramref name="image"/>), in the caller's scope.</summary>
    private (Tensor Value, Tensor Gradient) ValueAndGradient(Tensor image)
    {
        using var noGrad = no_grad();
        var (directions, sorted, variance) = targets.Colours(styleOctave);
        var pixels = image.detach()[0].reshape(3, -1);
        var count = pixels.shape[1];
        var scale = weight / ((double)directions.shape[1] * count);
        var squares = zeros([], dtype: pixels.dtype, device: pixels.device);
        var gradient = zeros_like(pixels);
        for (var k = 0; k < directions.shape[1]; k++)
        {
            using var direction = NewDisposeScope();
            var d = directions.select(1, k);
            var projection = d.matmul(pixels);
            var order = Ranking(projection);
            // Each pixel's share is the error at its rank, put back at its position (the sort's gradient), in the projection's buffer.
            squares.add_(RankErrors.Replace(projection, order, sorted[k]));
            gradient.addr_(d, projection);
        }
        return (squares.mul(scale).div(variance), gradient.mul_(2 * scale).div_(variance).view_as(image));
    }

    /// <summary>Largest integer sort key: under 2³¹ after float64 rounding.</summary>
    private const double KeyLevels = 2_147_483_000;

    /// <summary>
    /// The positions of <paramref name="values"/> ([N]) in ascending order. libtorch sorts floats with an
    /// introsort on one thread, ~6× slower than its radix sort of int32 keys (1M values: 150 ms against 25 ms;
    /// bench/README.md, "Where the time went"), which was a third of a 1024² texture step. The keys
    /// are the values mapped to [0, 2³¹) in float64: monotone, so only values less than 2⁻³¹ of the range apart
    /// can tie (far below float32's resolution of the pixels); ties keep their order (a stable sort).
    /// </summary>
    private static Tensor Ranking(Tensor values)
    {
        using var keys = SortKeys(values);
        var (sortedKeys, order) = keys.sort(0, stable: true);
        sortedKeys.Dispose();
        return order;
    }

    private static Tensor SortKeys(Tensor values)
    {
        using var scope = NewDisposeScope(); // the float64 copy is freed before the sort allocates
        var wide = values.to(ScalarType.Float64, copy: true); // a copy even from float64: the keys are made in place
        var lowest = wide.min();
        var range = wide.max().sub_(lowest).clamp_min_(1e-290); // a constant image: every key 0
        return wide.sub_(lowest).mul_(range.reciprocal_().mul_(KeyLevels)).to(ScalarType.Int32).MoveToOuterDisposeScope();
    }
}
