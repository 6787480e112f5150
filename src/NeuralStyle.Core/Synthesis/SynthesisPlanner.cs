using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Makes the <see cref="SynthesisPlan"/> of a request from the images' headers alone: every input
/// checked, every size fitted, every memory need estimated, before anything is decoded or allocated.
/// </summary>
public static class SynthesisPlanner
{
    /// <summary>Snelgrove's choice, where the images are large enough for it.</summary>
    public const int PreferredOctaves = 4;

    /// <exception cref="InputImageException">An input image fails its checks.</exception>
    /// <exception cref="PyramidTooSmallException">The output or a style is too small for the octaves asked for.</exception>
    /// <exception cref="OutputTooLargeException">Not even block-wise evaluation fits in memory.</exception>
    /// <exception cref="InvalidSettingException">The request contradicts itself; <see cref="SettingError"/> names how.</exception>
    public static SynthesisPlan Plan(SynthesisRequest request, NetworkProfile profile)
    {
        if (request.Styles.Count == 0) throw new ArgumentException("At least one style image is needed.");
        if (request.TileSize is not null && request.StyleLoss != StyleLossKind.Gram)
            throw new InvalidSettingException(SettingError.TileSizeWithSlicedWasserstein, request.TileSize,
                "-TileSize needs the Gram style loss: sliced Wasserstein sorts all positions at once, so it cannot be evaluated block-wise.");
        if (request.Init == InitKind.Image && request.InitImagePath is null)
            throw new InvalidSettingException(SettingError.InitImageMissing, request.Init, "-Init Image needs -InitImage <path>.");
        if (request.Init == InitKind.Content && request.Content is null)
            throw new InvalidSettingException(SettingError.InitContentWithoutContent, request.Init,
                "-Init Content needs a content image: a texture starts from Noise, Mean or an -InitImage.");
        var content = request.Content;
        var styleWeights = request.Styles.Select(s => s.Weight).ToArray();
        if (!StyleTargets.AreUsableWeights(styleWeights))
            throw content is null
                ? new InvalidSettingException(SettingError.SourceWeightsAllZero, styleWeights, "-SourceWeight: at least one source weight must be positive.")
                : new InvalidSettingException(SettingError.StyleWeightsAllZero, styleWeights, "-StyleWeight: at least one style weight must be positive.");
        var styleRole = content is null ? ImageRole.Source : ImageRole.Style;
        var styles = request.Styles.Select(s => (s.Path, Header: InputImages.Check(s.Path, styleRole, profile.MinimumSide))).ToList();
        if (request.InitImagePath is not null) InputImages.Check(request.InitImagePath, ImageRole.Init, profile.MinimumSide);

        var (width, height) = (request.Width, request.Height);
        int? styleLongSide = null;
        if (content is not null)
        {
            var header = InputImages.Check(content.Path, ImageRole.Content, profile.MinimumSide);
            (width, height) = Resampler.Fit(header.Width, header.Height, content.MaxSize);
            styleLongSide = (int)Math.Round(content.StyleScale * Math.Max(width, height));
        }
        if (content is not null && request.SourceScale != 1.0)
            throw new ArgumentException("-SourceScale is for textures; a transfer scales its styles with -StyleScale.");
        if (!(request.SourceScale > 0)) throw new ArgumentException("-SourceScale must be positive.");
        // The styles' sizes as the targets will see them: scaled to the output (a transfer) or by the source scale (a texture).
        var styleSizes = styles.Select(s => (s.Path, Size: styleLongSide is int side
            ? Resampler.ScaleTo(s.Header.Width, s.Header.Height, side)
            : Resampler.ScaleBy(s.Header.Width, s.Header.Height, request.SourceScale))).ToList();

        var octaves = request.Octaves ?? Math.Max(1, styleSizes.Select(s => s.Size).Append((width, height))
            .Select(s => GaussianPyramid.MaxOctaves(s.Item1, s.Item2, profile.MinimumSide)).Append(PreferredOctaves).Min());
        GaussianPyramid.EnsureFits(width, height, octaves, profile.MinimumSide, "The output");
        foreach (var (path, size) in styleSizes)
        {
            try { GaussianPyramid.EnsureFits(size.Item1, size.Item2, octaves, profile.MinimumSide, path); }
            catch (PyramidTooSmallException e) { throw new InputImageException(styleRole, path, e); }
        }

        var blockwisePossible = request.StyleLoss == StyleLossKind.Gram;
        var memory = MemoryEstimate.Plan(profile.Memory, width, height, octaves, request.TileSize, blockwisePossible);
        // Each stage decides for itself: the early, small stages usually fit whole.
        var stages = CoarseToFineSchedule.Plan(width, height, octaves, request.StepsPerStage,
            request.CoarseToFine ?? (content is null || profile.TransferCoarseToFine))
            .Select(s => (Stage: s, Memory: MemoryEstimate.Plan(profile.Memory, s.Width, s.Height, octaves - s.StyleOctaveOffset,
                request.TileSize, blockwisePossible)))
            .Select(s => new PlannedStage(s.Stage, s.Memory.TileSize, s.Memory.CompactHistory))
            .ToList();

        var defaults = content is null ? profile.TextureWeights : profile.TransferWeights;
        var weights = new LossWeights(content is null ? 0 : request.ContentWeight ?? defaults.Content, defaults.Style * request.StyleStrength,
            request.TvWeight ?? defaults.TotalVariation, request.ColourWeight ?? defaults.Colour).Validate();
        var tileable = request.Tileable && content is null;
        // Synthesis never uses zero padding: its border statistics differ between a small pyramid level and a large one.
        var padding = tileable ? NetworkPadding.Circular : NetworkPadding.Reflect;
        var layers = request.StyleLayers ?? profile.StyleLayers;
        var preserve = content?.PreserveColor ?? ColorPreservation.None;
        var key = new StyleTargetKey([.. request.Styles.Select(SourceStamp.Of)], octaves, request.StyleLoss, layers, padding, styleLongSide,
            request.SourceScale, preserve, preserve == ColorPreservation.None ? null : Path.GetFullPath(content!.Path));
        return new SynthesisPlan(request, width, height, octaves, request.Octaves is null, stages,
            tileable ? PyramidBorder.Circular : PyramidBorder.Reflect, padding, weights, layers, profile.ContentLayer, profile.MinimumSide,
            styleLongSide, memory, key);
    }
}
