using NeuralStyle.Core.Losses;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// What one optimisation step needs in memory, so an output that would not fit is evaluated
/// block-wise and an absurd size is refused before anything is allocated. Per-pixel costs were
/// measured on this engine as peak resident memory of whole cmdlet runs (4 octaves, coarse to fine):
/// about 3 KB per pixel at 2 MP and 4.7 KB at 4 MP (a 2048² stage peaked at 20 GB), far above a
/// single step in a fresh process (the bench: 2.7 GB at 1536²), so memory is held across stages; a block-wise 4096² step with 1024 px tiles peaked at 11.7 GB, most of it the L-BFGS
/// history. VGG19's full-resolution 64-channel layers cost several times more. The per-pixel costs of each
/// network are in its <see cref="NetworkProfile.Memory"/>.
/// </summary>
public static class MemoryEstimate
{
    private const long BaseBytes = 600L << 20; // the runtime, libtorch and the network's weights

    /// <summary>
    /// Image-sized state besides the optimiser's in a block-wise step: the pyramid and its graph, gradients, the wrapped copy,
    /// and the colour term, which sees the whole image at once in every mode.
    /// </summary>
    private const double BlockwiseImageBytesPerPixel = 80 + ColourTerm.PeakBytesPerPixel;

    /// <summary>A tile's halo on each side, about the deepest style layer's reach (ResNet-18 layer3: 112 px).</summary>
    private const int HaloEstimate = 128;

    /// <summary>Tile cores tried for automatic block-wise evaluation, largest (least halo overhead) first.</summary>
    private static readonly int[] TileSizes = [2048, 1024, 512, 256];

    /// <summary>Whole-image evaluation is used up to this share of the memory available; beyond it the step goes block-wise.</summary>
    private const double WholeImageShare = 0.6;

    /// <summary>
    /// Peak bytes of a whole-image step: the network's activations plus the optimiser's state — L-BFGS keeps two RGB images per curvature pair.
    /// </summary>
    public static long ForStep(MemoryCosts costs, int width, int height, int octaves, bool compactHistory = false, int historySize = 20)
    {
        var pixels = (double)width * height;
        var activations = pixels * (octaves > 1 ? 1 : 0.75) * costs.WholeImageBytesPerPixel;
        return BaseBytes + (long)(activations + OptimiserBytes(pixels, historySize, compactHistory));
    }

    /// <summary>
    /// Peak bytes of a block-wise step: activations of one tile (its core plus halo) whatever the
    /// image's size; only the image-sized state (pixels, gradient, pyramid, optimiser) grows with it.
    /// </summary>
    public static long ForBlockwiseStep(MemoryCosts costs, int width, int height, int tileSize, bool compactHistory = false, int historySize = 20)
    {
        var pixels = (double)width * height;
        var side = Math.Min(tileSize + 2.0 * HaloEstimate, Math.Max(width, height));
        var tile = side * side * costs.TileBytesPerPixel;
        return BaseBytes + (long)(tile + pixels * BlockwiseImageBytesPerPixel + OptimiserBytes(pixels, historySize, compactHistory));
    }

    /// <summary>
    /// The fastest evaluation that fits comfortably in <paramref name="available"/> bytes (by default
    /// <see cref="Available"/>): whole-image, else block-wise with the largest tile; at each, the L-BFGS history
    /// at full precision first, then compact (it costs conversions, a smaller tile costs more halo and passes).
    /// <paramref name="tileSize"/> forces block-wise with that tile.
    /// </summary>
    /// <exception cref="OutputTooLargeException">Not even block-wise evaluation with the smallest tile and a compact history fits.</exception>
    /// <param name="blockwisePossible">False for losses that need the whole image at once (sliced Wasserstein).</param>
    public static EvaluationPlan Plan(MemoryCosts costs, int width, int height, int octaves, int? tileSize = null, bool blockwisePossible = true,
        long? available = null)
    {
        var memory = available ?? Available;
        var comfortable = memory * WholeImageShare;
        long Needed(int tile, bool compact) =>
            tile == 0 ? ForStep(costs, width, height, octaves, compact) : ForBlockwiseStep(costs, width, height, tile, compact);
        int[] tiles = !blockwisePossible ? [0] : tileSize is int forced ? [forced] : [0, .. TileSizes];
        foreach (var tile in tiles)
        {
            foreach (var compact in (bool[])[false, true])
            {
                var needed = Needed(tile, compact);
                if (needed <= comfortable) return new EvaluationPlan(tile, needed, Needed(0, false), compact);
            }
        }
        // Nothing fits comfortably: the last resort, if it fits at all.
        var last = Needed(tiles[^1], true);
        if (last > memory) throw new OutputTooLargeException(width, height, last, memory);
        return new EvaluationPlan(tiles[^1], last, Needed(0, false), true);
    }

    /// <summary>The memory this process may use (a container's limit where there is one).</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The curvature pairs at full precision or compact, the previous gradient and the direction at full.</summary>
    private static double OptimiserBytes(double pixels, int historySize, bool compact) =>
        pixels * 3 * (Optimization.Lbfgs.PairBytesPerValue(compact) * historySize + 2 * sizeof(float));
}

/// <summary>
/// How a step at one size is evaluated: whole-image (<see cref="TileSize"/> 0) or block-wise, whether the L-BFGS history is
/// compact (<see cref="Optimization.OptimizationSettings.CompactHistory"/>), and its estimated peak.
/// </summary>
public sealed record EvaluationPlan(int TileSize, long EstimatedBytes, long WholeImageBytes, bool CompactHistory = false)
{
    public bool Blockwise => TileSize > 0;
}

