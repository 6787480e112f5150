using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>One evaluation of the objective: the total as a differentiable tensor, and its weighted parts as numbers for progress.</summary>
public sealed record LossTerms(Tensor Total, double Content, double Style, double TotalVariation)
{
    public double TotalValue => Content + Style + TotalVariation;
}
