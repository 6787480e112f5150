namespace NeuralStyle.Core.Networks;

/// <summary>A weights file could be read (or not) but is not the state dict the network expects.</summary>
public sealed class StateDictFormatException(string message, Exception? inner = null) : IOException(message, inner);
