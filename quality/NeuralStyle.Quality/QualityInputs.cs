using NeuralStyle.Bench;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>The settings quality/plain.py reads (camelCase JSON, as its docstring lists).</summary>
public sealed record PlainConfig(
    string Name, string Model, int Threads, int Seed, int Evaluations, int Octaves, int Width, int Height,
    IReadOnlyList<LayerJson> StyleLayers, string ContentLayer, WeightsJson Weights, PlainInputs Inputs,
    string Output, string Result, string CacheDirectory);

public sealed record PlainInputs(string Style, string? Content);

/// <summary>
/// The inputs of one task, scaled once with the engine's resampler and written for every method:
/// PNG for the cmdlets (which then need no further scaling), raw float32 for the plain method,
/// and plain.json. Equal pixel scale for all methods is what makes their numbers comparable.
/// </summary>
public static class QualityInputs
{
    /// <summary>Snelgrove's octave count, fewer where the output or the source would get an octave under the network's minimum side.</summary>
    public const int PlainOctaves = 4;

    /// <summary>DIR/source.png (+ .raw): the source with its short side at --short-side; the texture is --size².</summary>
    public static void PrepareTexture(CommandLine options)
    {
        var dir = Folder(options);
        var size = options.Integer("size");
        using var scope = NewDisposeScope();
        using var image = ImageCodec.Read(options.Path("source"));
        var scale = (double)options.Integer("short-side") / Math.Min(image.Width, image.Height);
        var (w, h) = ((int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale));
        var source = Write(Resampler.Resize(image.Rgb, w, h), dir, "source", options.Path("source"));
        var profile = NetworkProfiles.ResNet18;
        WritePlainConfig(options, dir, size, size, Octaves(profile, (size, size), (w, h)), profile.TextureWeights, source, null);
        Console.WriteLine($"  inputs: {Path.GetFileName(dir)}: source {image.Width}×{image.Height} -> {w}×{h}, texture {size}×{size}");
    }

    /// <summary>DIR/content.png and DIR/style.png (+ .raw): the content fitted into --max-size, the style's long side the output's (-StyleScale 1).</summary>
    public static void PrepareTransfer(CommandLine options)
    {
        var dir = Folder(options);
        using var scope = NewDisposeScope();
        using var contentImage = ImageCodec.Read(options.Path("content"));
        using var styleImage = ImageCodec.Read(options.Path("style"));
        var (w, h) = Resampler.Fit(contentImage.Width, contentImage.Height, options.Integer("max-size"));
        var (sw, sh) = Resampler.ScaleTo(styleImage.Width, styleImage.Height, Math.Max(w, h));
        var content = Write(Resampler.Resize(contentImage.Rgb, w, h), dir, "content", options.Path("content"));
        var style = Write(Resampler.Resize(styleImage.Rgb, sw, sh), dir, "style", options.Path("style"));
        var profile = NetworkProfiles.ResNet18;
        WritePlainConfig(options, dir, w, h, Octaves(profile, (w, h), (sw, sh)), profile.TransferWeights, style, content);
        Console.WriteLine($"  inputs: {Path.GetFileName(dir)}: content {w}×{h}, style {sw}×{sh}");
    }

    private static string Folder(CommandLine options)
    {
        var dir = options.Path("dir");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static int Octaves(NetworkProfile profile, params (int Width, int Height)[] sizes) =>
        Math.Max(1, sizes.Select(s => GaussianPyramid.MaxOctaves(s.Width, s.Height, profile.MinimumSide)).Append(PlainOctaves).Min());

    /// <summary>Writes NAME.png and NAME.raw (+ sidecar), both holding the same 8-bit values; returns the raw file's path.</summary>
    private static string Write(Tensor rgb, string dir, string name, string origin)
    {
        // Quantised first, so the plain method's raw input is exactly what the cmdlets decode from the PNG.
        using var image = new RgbImage(rgb.clamp(0, 1).mul(255).round().div(255).contiguous());
        ImageCodec.Write(image, Path.Combine(dir, name + ".png"), new ImageWriteOptions { Overwrite = true });
        var raw = Path.Combine(dir, name + ".raw");
        RawTensorFile.Write(image.Rgb, raw, origin);
        return raw;
    }

    private static void WritePlainConfig(CommandLine options, string dir, int width, int height, int octaves, LossWeights weights,
        string style, string? content)
    {
        var profile = NetworkProfiles.ResNet18;
        var config = new PlainConfig(Path.GetFileName(dir), ModelFiles.ResNet18Path, Environment.ProcessorCount, options.Integer("seed"),
            options.Integer("evaluations"), octaves, width, height,
            [.. profile.StyleLayers.Select(l => new LayerJson(l.Name, l.Weight))], profile.ContentLayer,
            new WeightsJson(weights.Content, weights.Style, 0), new PlainInputs(style, content),
            Path.Combine(dir, "plain.png"), Path.Combine(dir, "plain.result.json"), options.Path("cache"));
        Json.Write(Path.Combine(dir, "plain.json"), config);
    }
}
