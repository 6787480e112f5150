namespace NeuralStyle.Core.Synthesis;

/// <summary>A source (or style) image file and its share when several are joined.</summary>
public sealed record WeightedSource(string Path, double Weight = 1.0);
