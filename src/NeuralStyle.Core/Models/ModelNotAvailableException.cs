namespace NeuralStyle.Core.Models;

/// <summary>A model was asked for by name but its weights are not on this machine.</summary>
public sealed class ModelNotAvailableException(string message) : IOException(message);
