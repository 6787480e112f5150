using NeuralStyle.Core.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Synthesis;

/// <summary>Where the optimisation starts, at the first stage's size (see <see cref="InitKind"/>).</summary>
internal static class InitialImage
{
    /// <param name="meanColour">The styles' mean colour ([3]): a texture's starting colour.</param>
    /// <param name="coarseContent">A transfer's content at the first stage's size; null for a texture.</param>
    /// <returns>A new tensor, the caller's.</returns>
    public static Tensor For(SynthesisRequest request, SynthesisStage first, Tensor meanColour, Tensor? coarseContent, Generator generator,
        Device device)
    {
        // The noise, its scaled and shifted copies are image-sized: freed here, not when the whole run ends.
        using var scope = NewDisposeScope();
        return Start(request, first, meanColour, coarseContent, generator, device).MoveToOuterDisposeScope();
    }

    private static Tensor Start(SynthesisRequest request, SynthesisStage first, Tensor meanColour, Tensor? coarseContent, Generator generator,
        Device device)
    {
        var shape = coarseContent?.shape ?? [1, 3, first.Height, first.Width];
        var mean = coarseContent?.mean([2, 3], keepdim: true) ?? meanColour.to(device).reshape(1, 3, 1, 1);
        return request.Init switch
        {
            // A copy: the start is optimised in place (StagedOptimizer), the content's level stays the content.
            InitKind.Content => coarseContent!.clone(),
            InitKind.Noise => mean.add(randn(shape, device: device, generator: generator).mul(0.2)).clamp(0, 1),
            // A texture needs faint noise to break the symmetry; a transfer's content term breaks it.
            InitKind.Mean when coarseContent is null => mean.add(randn(shape, device: device, generator: generator).mul(0.01)).clamp(0, 1),
            InitKind.Mean => mean.expand_as(coarseContent).contiguous(),
            InitKind.Image => Load(request.InitImagePath!, first, device, textureResize: coarseContent is null),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Init, "Unknown init."),
        };
    }

    /// <param name="textureResize">Textures have always resized their start by area, transfers through <see cref="Resampler"/>; kept so results stay the same.</param>
    private static Tensor Load(string path, SynthesisStage first, Device device, bool textureResize)
    {
        using var image = ImageCodec.Read(path);
        var rgb = image.Rgb.to(device);
        return textureResize
            ? nn.functional.interpolate(rgb, size: [first.Height, first.Width], mode: InterpolationMode.Area)
            : Resampler.Resize(rgb, first.Width, first.Height);
    }
}
