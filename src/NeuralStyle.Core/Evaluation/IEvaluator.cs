using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Evaluation;

/// <summary>Evaluates an <see cref="Objective"/> and its gradient, one way or another.</summary>
public interface IEvaluator
{
    /// <summary>
    /// The loss for <paramref name="pixels"/> (a leaf that requires grad), with its gradient added to
    /// <c>pixels.grad</c>. Every tensor it makes is freed before it returns.
    /// </summary>
    LossTerms EvaluateWithGradient(Tensor pixels, CancellationToken cancellationToken = default);
}

public static class Evaluator
{
    /// <summary>Whole-image autograd for <paramref name="tileSize"/> 0, else block-wise on tiles with cores of that many pixels.</summary>
    public static IEvaluator For(IFeatureNetwork network, Objective objective, int tileSize) =>
        tileSize <= 0 ? new WholeImageEvaluator(network, objective) : new TiledEvaluator(network, objective, tileSize);
}
