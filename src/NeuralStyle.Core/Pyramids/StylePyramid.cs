using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Pyramids;

/// <summary>Reads an image and returns every octave of its Gaussian pyramid (alpha reduced alongside colour).</summary>
public static class StylePyramid
{
    public static IReadOnlyList<StylePyramidLevel> Build(string sourcePath, StylePyramidOptions options, CancellationToken cancellationToken = default)
    {
        var device = TorchRuntime.Resolve(options.Device);
        using var source = ImageCodec.Read(sourcePath, options.Read);
        GaussianPyramid.EnsureFits(source.Width, source.Height, options.Octaves, options.MinimumSide, sourcePath);
        cancellationToken.ThrowIfCancellationRequested();

        var levels = new List<StylePyramidLevel>(options.Octaves);
        try
        {
            using var scope = NewDisposeScope();
            // Alpha rides along as a fourth channel so it gets exactly the same blur and subsampling.
            var stacked = source.Alpha is null ? source.Rgb.to(device) : cat([source.Rgb, source.Alpha], 1).to(device);
            var current = stacked;
            for (var octave = 1; octave <= options.Octaves; octave++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (octave > 1) current = GaussianPyramid.Reduce(current, options.Border);
                var cpu = current.cpu();
                var rgb = cpu[.., ..3];
                var alpha = source.Alpha is null ? null : cpu[.., 3..];
                levels.Add(new StylePyramidLevel(octave, new RgbImage(rgb.contiguous(), alpha?.contiguous(), source.SourceBitDepth)));
            }
            return levels;
        }
        catch
        {
            foreach (var level in levels) level.Dispose();
            throw;
        }
    }
}
