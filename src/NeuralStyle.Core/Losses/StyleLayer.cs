namespace NeuralStyle.Core.Losses;

/// <summary>A network layer whose Gram matrix is matched, and its share of the style loss.</summary>
public sealed record StyleLayer(string Name, double Weight);
