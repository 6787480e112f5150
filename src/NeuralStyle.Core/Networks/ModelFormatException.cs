namespace NeuralStyle.Core.Networks;

/// <summary>A model file could be read but does not have the structure the network expects.</summary>
public sealed class ModelFormatException(string message) : IOException(message);
