using NeuralStyle.Core.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>Deterministic, natural-looking test inputs for the feature networks.</summary>
internal static class NetworkTestImages
{
    /// <summary>
    /// A real photo (cat.jpg, see <see cref="RepositoryFiles.Photo"/>) resized to width×height, as [1,3,H,W] RGB
    /// in [0,1]; a smooth seeded random image when the photo is not there.
    /// </summary>
    public static Tensor Photo(int width, int height)
    {
        var path = PhotoPath;
        return path is null ? Smooth(width, height, seed: 1234) : Load(path, width, height);
    }

    /// <summary>Where the test photo was found, or null (then <see cref="Photo"/> generates an image).</summary>
    public static string? PhotoPath => RepositoryFiles.Photo("cat.jpg");

    /// <summary>Low-frequency random colours (bilinear upsampling of an 8×8 grid) plus mild noise.</summary>
    public static Tensor Smooth(int width, int height, int seed)
    {
        using var scope = torch.NewDisposeScope();
        var gen = new Generator((ulong)seed);
        var coarse = torch.rand([1, 3, 8, 8], generator: gen);
        var up = nn.functional.interpolate(coarse, [height, width], mode: InterpolationMode.Bilinear, align_corners: false);
        var noise = torch.rand([1, 3, height, width], generator: gen).mul(0.1f);
        return up.mul(0.9f).add(noise).clamp(0, 1).MoveToOuterDisposeScope();
    }

    private static Tensor Load(string path, int width, int height)
    {
        using var image = Image.Load<Rgb24>(path);
        image.Mutate(c => c.Resize(width, height));
        var data = new float[3 * width * height];
        var plane = width * height;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = y * width + x;
                    data[i] = row[x].R / 255f;
                    data[plane + i] = row[x].G / 255f;
                    data[2 * plane + i] = row[x].B / 255f;
                }
            }
        });
        return torch.tensor(data, [1, 3, height, width]);
    }
}
