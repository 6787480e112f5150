using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// One weighted part of the objective, on one pyramid level of the generated image. The evaluators
/// (WholeImageEvaluator, TiledEvaluator) read the
/// layers every term of a level needs once, and add the terms up.
/// </summary>
public interface ILossTerm
{
    /// <summary>Which number of <see cref="LossTerms"/> this term adds to.</summary>
    LossPart Part { get; }

    /// <summary>The level of the generated image's Gaussian pyramid it reads: 0 is the image itself.</summary>
    int Octave { get; }

    /// <summary>The activations it reads (see <see cref="Features.FeatureReader"/>); none for a term on the pixels themselves.</summary>
    IReadOnlyList<string> Layers { get; }

    /// <summary>The weighted loss on the whole level's features, differentiable.</summary>
    Tensor Loss(LevelFeatures level);
}
