using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Evaluation;

/// <summary>
/// The objective on the whole image at once: the image pushed through the same Gaussian pyramid as
/// the style, every term on its level, one backward pass. Memory grows with the image.
/// </summary>
public sealed class WholeImageEvaluator(IFeatureNetwork network, Objective objective) : IEvaluator
{
    public LossTerms EvaluateWithGradient(Tensor pixels, CancellationToken cancellationToken = default)
    {
        using var scope = NewDisposeScope();
        var (total, terms) = Evaluate(pixels);
        total.backward();
        return terms;
    }

    /// <summary>Every term for <paramref name="image"/> ([1,3,H,W] in [0,1]); the total (the caller's) keeps its autograd graph.</summary>
    public (Tensor Total, LossTerms Terms) Evaluate(Tensor image)
    {
        var levels = objective.Levels(image);
        return TermSum.Of(network, objective.Terms, o => levels[o], objective.Padding, image);
    }
}
