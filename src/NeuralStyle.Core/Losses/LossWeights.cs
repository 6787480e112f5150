namespace NeuralStyle.Core.Losses;

/// <summary>How much each term counts in the total loss. Scales are size-independent (means, not sums).</summary>
/// <param name="Colour">The pixels' colour distribution against the sources' (<see cref="ColourTerm"/>).</param>
public sealed record LossWeights(double Content, double Style, double TotalVariation, double Colour = 0)
{
    public LossWeights Validate()
    {
        if (Content < 0 || Style < 0 || TotalVariation < 0 || Colour < 0 || double.IsNaN(Content + Style + TotalVariation + Colour))
            throw new InvalidSettingException(SettingError.InvalidLossWeight, this, "Loss weights must be zero or positive numbers.");
        if (Content == 0 && Style == 0)
            throw new InvalidSettingException(SettingError.ContentAndStyleWeightsZero, this,
                "At least one of the content and style weights must be positive (-ContentWeight, -StyleStrength).");
        return this;
    }
}
