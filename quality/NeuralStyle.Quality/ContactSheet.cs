using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>Images side by side at one height (each resized with its aspect kept), 4 px white gaps between them.</summary>
public static class ContactSheet
{
    private const int Gap = 4;

    public static void Write(IReadOnlyList<string> images, int height, string path)
    {
        using var scope = NewDisposeScope();
        var tiles = new List<Tensor>();
        foreach (var file in images)
        {
            using var image = ImageCodec.Read(file);
            var width = Math.Max(1, (int)Math.Round((double)image.Width * height / image.Height));
            if (tiles.Count > 0) tiles.Add(ones(1, 3, height, Gap));
            tiles.Add(Resampler.Resize(image.Rgb, width, height));
        }
        using var sheet = new RgbImage(cat(tiles, 3).contiguous());
        ImageCodec.Write(sheet, path, new ImageWriteOptions { Overwrite = true });
    }
}
