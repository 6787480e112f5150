using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Pyramids;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// What one stage optimises: its terms, on how many levels of the generated image's pyramid, and
/// the borders the pyramid and the network use. Every term is relative or a mean, so one set of
/// weights works at every image size and for layers of any width.
/// </summary>
public sealed record Objective(IReadOnlyList<ILossTerm> Terms, int Octaves, PyramidBorder Border, NetworkPadding Padding)
{
    /// <summary>
    /// The terms of Gatys/Snelgrove synthesis: the style on every octave, the content at full size,
    /// the colour distribution, total variation; each only when its weight is positive. A new term is one line here.
    /// </summary>
    /// <param name="styleOctaveOffset">
    /// Coarse-to-fine: an image at 1/2^k of the final size matches the style's octaves k, k+1, …, so
    /// features keep their size in pixels at every stage.
    /// </param>
    /// <param name="random">Draws the sliced-Wasserstein directions; seeded for reproducible results.</param>
    public static Objective For(StyleTargets? style, ContentTarget? content, LossWeights weights, PyramidBorder border, NetworkPadding padding,
        int styleOctaveOffset = 0, StyleLossKind kind = StyleLossKind.Gram, Generator? random = null)
    {
        weights.Validate();
        var octaves = style is null ? 1 : style.Octaves - styleOctaveOffset;
        if (octaves < 1) throw new ArgumentOutOfRangeException(nameof(styleOctaveOffset), "The offset leaves no style octave to match.");
        var terms = new List<ILossTerm>();
        for (var octave = 0; octave < octaves; octave++)
        {
            var styleOctave = octave + styleOctaveOffset;
            if (style is not null && weights.Style > 0)
            {
                terms.Add(kind == StyleLossKind.Gram
                    ? new GramStyleTerm(style, octave, styleOctave, weights.Style)
                    : new SlicedWassersteinTerm(style, octave, styleOctave, weights.Style, random));
            }
            if (octave == 0 && content is not null && weights.Content > 0) terms.Add(new ContentTerm(content, weights.Content));
        }
        if (style is not null && weights.Colour > 0) terms.Add(new ColourTerm(style, styleOctaveOffset, weights.Colour));
        if (weights.TotalVariation > 0)
        {
            var reference = style is null ? 1.0 : Math.Max(style.Roughness(styleOctaveOffset), 1e-6);
            terms.Add(new TotalVariationTerm(weights.TotalVariation, reference, border == PyramidBorder.Circular));
        }
        return new Objective(terms, octaves, border, padding);
    }

    /// <summary>The levels the terms read: <paramref name="image"/> itself, then its pyramid's coarser octaves (new tensors, the caller's).</summary>
    public IReadOnlyList<Tensor> Levels(Tensor image) => Octaves > 1 ? GaussianPyramid.Build(image, Octaves, Border) : [image];

    /// <summary>False when a term needs the whole image at once (sliced Wasserstein sorts all positions).</summary>
    public bool BlockwisePossible => Terms.All(t => t is IBlockwiseTerm || t.Layers.Count == 0);
}
