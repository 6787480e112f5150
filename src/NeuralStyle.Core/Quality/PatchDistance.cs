using static TorchSharp.torch;

namespace NeuralStyle.Core.Quality;

/// <summary>
/// Patch distance per Laplacian level, after Karras et al. 2018 (the SWD of Progressive GANs):
/// every 7×7×3 patch of each level of a 4-level Laplacian pyramid, each set normalised by its own
/// per-channel mean and standard deviation (so a colour shift or a contrast change alone costs
/// nothing), compared by sliced Wasserstein-1 with 128 directions × 4 repeats. L0 sees grain and
/// specks, L3 the arrangement of large structures.
/// </summary>
public static class PatchDistance
{
    public const int Levels = 4;
    public const int PatchSize = 7;
    public const int Directions = 128;
    public const int Repeats = 4;
    public const int Quantiles = 512;

    /// <summary>At most this many patches per set (a seeded sample): plenty for 512 quantiles, and sorting stays cheap at large sizes.</summary>
    public const int MaxPatches = 16384;
    private const ulong Seed = 2018;

    /// <summary>The distance at each level, L0 (finest) first.</summary>
    /// <param name="a">[1,3,H,W] RGB in [0,1].</param>
    /// <param name="b">[1,3,H',W'] RGB in [0,1]; the size may differ.</param>
    public static double[] Measure(Tensor a, Tensor b)
    {
        QualityImages.EnsureRgb(a, nameof(a));
        QualityImages.EnsureRgb(b, nameof(b));
        using var scope = NewDisposeScope();
        var la = LaplacianPyramid.Build(a.cpu().to(ScalarType.Float32), Levels);
        var lb = LaplacianPyramid.Build(b.cpu().to(ScalarType.Float32), Levels);
        return Enumerable.Range(0, Levels)
            .Select(k => SlicedWasserstein.Distance(Sample(Descriptors(la[k]), Seed + (ulong)k), Sample(Descriptors(lb[k]), Seed + (ulong)k),
                Directions, Repeats, Quantiles, Seed + (ulong)k))
            .ToArray();
    }

    /// <summary>The rows themselves when there are at most <see cref="MaxPatches"/>, else a seeded sample of that many.</summary>
    public static Tensor Sample(Tensor descriptors, ulong seed)
    {
        var n = descriptors.shape[0];
        return n <= MaxPatches ? descriptors : descriptors.index_select(0, randperm(n, generator: new Generator(seed)).narrow(0, 0, MaxPatches));
    }

    /// <summary>[N, 3·7·7] patches of a [1,3,H,W] level (channel-major, every position), normalised per channel over the whole set.</summary>
    public static Tensor Descriptors(Tensor level)
    {
        if (level.shape[2] < PatchSize || level.shape[3] < PatchSize)
            throw new ArgumentException($"A pyramid level of {level.shape[3]}×{level.shape[2]} is smaller than one {PatchSize}×{PatchSize} patch; use a larger image.", nameof(level));
        using var scope = NewDisposeScope();
        var patches = nn.functional.unfold(level, PatchSize)[0].t().reshape(-1, 3, PatchSize * PatchSize);
        var mean = patches.mean([0, 2], keepdim: true);
        var std = patches.std([0, 2], keepdim: true).add(1e-8);
        return patches.sub(mean).div(std).reshape(-1, 3 * PatchSize * PatchSize).MoveToOuterDisposeScope();
    }
}
