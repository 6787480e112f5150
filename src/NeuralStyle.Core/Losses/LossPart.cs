namespace NeuralStyle.Core.Losses;

/// <summary>The reported parts of the loss, which every term adds to one of.</summary>
public enum LossPart
{
    Content,
    Style,
    TotalVariation,
}
