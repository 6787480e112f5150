namespace NeuralStyle.Core.Losses;

/// <summary>One evaluation of the objective: its weighted parts, as numbers for progress.</summary>
public sealed record LossTerms(double Content, double Style, double TotalVariation)
{
    public double TotalValue => Content + Style + TotalVariation;

    public static LossTerms Zero { get; } = new(0, 0, 0);

    public static LossTerms operator +(LossTerms a, LossTerms b) =>
        new(a.Content + b.Content, a.Style + b.Style, a.TotalVariation + b.TotalVariation);

    /// <summary>These terms with <paramref name="value"/> added to <paramref name="part"/>.</summary>
    public LossTerms Add(LossPart part, double value) => part switch
    {
        LossPart.Content => this with { Content = Content + value },
        LossPart.Style => this with { Style = Style + value },
        _ => this with { TotalVariation = TotalVariation + value },
    };
}
