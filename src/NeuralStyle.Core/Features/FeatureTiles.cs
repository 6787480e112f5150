using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Features;

/// <summary>One tile: its core (the activations it owns) and the input it reads, both in input pixels.</summary>
/// <param name="X0">Core's first column; a multiple of the deepest layer's stride.</param>
/// <param name="X1">Core's end (exclusive): the next tile's X0, or the image width.</param>
/// <param name="CropX0">First column read, in the coordinates of <see cref="FeatureTiles.Extend"/>'s output.</param>
public readonly record struct FeatureTile(int X0, int X1, int Y0, int Y1, int CropX0, int CropX1, int CropY0, int CropY1);

/// <summary>
/// Splits an image into tiles for block-wise evaluation, so that every activation of the whole
/// image is computed exactly once, exactly, by one tile. Tiles start on multiples of the deepest
/// layer's stride (their strided samples fall where the whole image's do) and read a halo of the
/// layers' reach around their core, so the wrong padding at a tile's inner edges never reaches the
/// core. At the image's own border a tile reads no halo and the network pads there as it would the
/// whole image (zeros, reflect). A periodic (tileable) image is first extended by wrapping, so every
/// tile is an inner one; that equals the network's circular padding when the sides are multiples of
/// the stride.
/// </summary>
public sealed class FeatureTiles
{
    private FeatureTiles(int width, int height, int halo, int alignment, bool periodic, IReadOnlyList<FeatureTile> tiles)
    {
        Width = width;
        Height = height;
        Halo = halo;
        Alignment = alignment;
        Periodic = periodic;
        Tiles = tiles;
    }

    public int Width { get; }
    public int Height { get; }
    public int Halo { get; }
    public int Alignment { get; }
    public bool Periodic { get; }
    public IReadOnlyList<FeatureTile> Tiles { get; }

    /// <summary>Tiles for reading <paramref name="layers"/> of <paramref name="network"/> from a <paramref name="width"/>×<paramref name="height"/> image.</summary>
    public static FeatureTiles For(IFeatureNetwork network, IReadOnlyCollection<string> layers, int width, int height, int tileSize,
        bool periodic)
    {
        var views = layers.Select(l => FeatureReader.View(network, l)).ToArray();
        return Plan(width, height, tileSize, views.Max(v => v.Reach), views.Max(v => v.Stride), periodic);
    }

    /// <param name="tileSize">Core side in pixels; rounded up to a multiple of <paramref name="alignment"/>.</param>
    /// <param name="reach">The deepest reach among the layers read (see <see cref="Networks.FieldOfView"/>).</param>
    /// <param name="alignment">The largest stride among the layers read.</param>
    public static FeatureTiles Plan(int width, int height, int tileSize, int reach, int alignment, bool periodic)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tileSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(alignment, 1);
        var halo = RoundUp(reach, alignment);
        var columns = Cores(width, tileSize, alignment);
        var rows = Cores(height, tileSize, alignment);
        var tiles = new List<FeatureTile>();
        foreach (var (y0, y1) in rows)
        {
            foreach (var (x0, x1) in columns)
            {
                tiles.Add(periodic
                    ? new FeatureTile(x0, x1, y0, y1, x0, x1 + 2 * halo, y0, y1 + 2 * halo)
                    : new FeatureTile(x0, x1, y0, y1, Math.Max(0, x0 - halo), Math.Min(width, x1 + halo),
                        Math.Max(0, y0 - halo), Math.Min(height, y1 + halo)));
            }
        }
        return new FeatureTiles(width, height, halo, alignment, periodic, tiles);
    }

    /// <summary>The image the crops are cut from: the image itself, or wrapped by the halo when periodic.</summary>
    public Tensor Extend(Tensor image)
    {
        if (!Periodic) return image.alias();
        using var scope = NewDisposeScope();
        var rows = WrappedIndex(Height, image.device);
        var columns = WrappedIndex(Width, image.device);
        return image.index_select(2, rows).index_select(3, columns).MoveToOuterDisposeScope();
    }

    /// <summary>Gradient with respect to <see cref="Extend"/>'s output → gradient with respect to the image.</summary>
    public Tensor Fold(Tensor extendedGradient)
    {
        if (!Periodic) return extendedGradient.alias();
        using var scope = NewDisposeScope();
        var g = extendedGradient;
        var byRows = zeros([g.shape[0], g.shape[1], Height, g.shape[3]], dtype: g.dtype, device: g.device)
            .index_add_(2, WrappedIndex(Height, g.device), g, 1);
        return zeros([g.shape[0], g.shape[1], Height, Width], dtype: g.dtype, device: g.device)
            .index_add_(3, WrappedIndex(Width, g.device), byRows, 1).MoveToOuterDisposeScope();
    }

    public static Tensor Crop(Tensor extended, FeatureTile tile) =>
        extended[.., .., tile.CropY0..tile.CropY1, tile.CropX0..tile.CropX1];

    /// <summary>The activations of <paramref name="tile"/>'s core in one layer's output for the tile's crop.</summary>
    public Tensor Core(Tensor features, FeatureTile tile, int stride)
    {
        var origin = Periodic ? Halo : 0;
        return Window(features, tile, stride, (tile.X0 + origin - tile.CropX0) / stride, (tile.Y0 + origin - tile.CropY0) / stride,
            ownsRest: !Periodic);
    }

    /// <summary>The same activations as <see cref="Core"/>, taken from a feature map of the whole image.</summary>
    public Tensor WholeCore(Tensor wholeFeatures, FeatureTile tile, int stride) =>
        Window(wholeFeatures, tile, stride, tile.X0 / stride, tile.Y0 / stride, ownsRest: true);

    /// <param name="ownsRest">
    /// A tile that ends at the image's own edge owns the rest of the map: strided layers round up,
    /// pools down, so only the map itself knows how many positions remain.
    /// </param>
    private Tensor Window(Tensor features, FeatureTile tile, int stride, int left, int top, bool ownsRest)
    {
        var columns = ownsRest && tile.X1 == Width ? (int)features.shape[3] - left : CeilDiv(tile.X1, stride) - tile.X0 / stride;
        var rows = ownsRest && tile.Y1 == Height ? (int)features.shape[2] - top : CeilDiv(tile.Y1, stride) - tile.Y0 / stride;
        return features[.., .., top..(top + rows), left..(left + columns)];
    }

    private Tensor WrappedIndex(int size, Device device)
    {
        var index = new long[size + 2 * Halo];
        for (var i = 0; i < index.Length; i++) index[i] = (((i - Halo) % size) + size) % size;
        return tensor(index, device: device);
    }

    /// <summary>Splits [0, size) into near-equal runs whose starts are multiples of <paramref name="alignment"/>.</summary>
    private static List<(int Start, int End)> Cores(int size, int tileSize, int alignment)
    {
        var count = Math.Max(1, CeilDiv(size, RoundUp(tileSize, alignment)));
        var step = RoundUp(CeilDiv(size, count), alignment);
        var cores = new List<(int, int)>();
        for (var start = 0; start < size; start += step) cores.Add((start, Math.Min(size, start + step)));
        return cores;
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
    private static int RoundUp(int a, int b) => CeilDiv(a, b) * b;
}
