using NeuralStyle.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Imaging;

internal static class Pixels
{
    public static Image<Rgb24> RandomRgb24(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgb24((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        return image;
    }

    public static Image<Rgba32> RandomRgba32(int width, int height, int seed)
    {
        var rng = new Random(seed);
        var image = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = new Rgba32((byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256), (byte)rng.Next(256));
        return image;
    }

    /// <summary>Channel c of pixel (x,y) from a [1,C,H,W] tensor.</summary>
    public static float At(torch.Tensor t, int c, int x, int y) => t[0, c, y, x].item<float>();

    public static float[] Values(torch.Tensor t) => t.contiguous().data<float>().ToArray();

    /// <summary>An RgbImage whose channels hold exactly k/scale for the given integer planes (CHW order).</summary>
    public static RgbImage FromIntegers(int[] rgb, int[]? alpha, int width, int height, float scale, int bitDepth = 8)
    {
        var rgbT = torch.tensor(rgb.Select(v => v / scale).ToArray(), [1, 3, height, width]);
        var alphaT = alpha is null ? null : torch.tensor(alpha.Select(v => v / scale).ToArray(), [1, 1, height, width]);
        return new RgbImage(rgbT, alphaT, bitDepth);
    }
}
