namespace NeuralStyle.Core.Losses;

/// <summary>How much each term counts in the total loss. Scales are size-independent (means, not sums).</summary>
public sealed record LossWeights(double Content, double Style, double TotalVariation)
{
    public LossWeights Validate()
    {
        if (Content < 0 || Style < 0 || TotalVariation < 0 || double.IsNaN(Content + Style + TotalVariation))
            throw new ArgumentException("Loss weights must be zero or positive numbers.");
        if (Content == 0 && Style == 0)
            throw new ArgumentException("At least one of the content and style weights must be positive.");
        return this;
    }
}
