namespace NeuralStyle.Core;

/// <summary>
/// What is wrong with a setting a user gave the engine. Each name is the stable error id a script tests for
/// (the module turns it into the ErrorRecord's id, category InvalidArgument): renaming one breaks scripts.
/// </summary>
public enum SettingError
{
    /// <summary>-Device is not Auto, Cpu, Cuda or Cuda:N.</summary>
    InvalidDevice,

    /// <summary>-Model is neither a known model name nor the path of a weights file.</summary>
    UnknownModel,

    /// <summary>NEURALSTYLE_MODEL_BASEURL is set but is not an absolute http(s) URL.</summary>
    InvalidModelBaseUrl,

    /// <summary>NEURALSTYLE_THREADS is set but is not a whole number 1 or more.</summary>
    InvalidThreadCount,

    /// <summary>A texture's source weights are all zero: there is nothing to match.</summary>
    SourceWeightsAllZero,

    /// <summary>A transfer's style weights are all zero.</summary>
    StyleWeightsAllZero,

    /// <summary>Both the content weight and the style strength are zero: nothing to optimise.</summary>
    ContentAndStyleWeightsZero,

    /// <summary>A loss weight is negative or not a number.</summary>
    InvalidLossWeight,

    /// <summary>-TileSize (block-wise evaluation) with a style loss that cannot be evaluated block-wise.</summary>
    TileSizeWithSlicedWasserstein,

    /// <summary>-Init Image without the image to start from.</summary>
    InitImageMissing,

    /// <summary>-Init Content where there is no content (a texture).</summary>
    InitContentWithoutContent,
}

/// <summary>
/// A setting the user gave that the engine cannot work with, found before any work. It carries the id
/// (<see cref="Error"/>) and the value the user gave (<see cref="Value"/>, the error's target), so the one
/// rule that turns it into an error record needs to know nothing about the check.
/// </summary>
public sealed class InvalidSettingException(SettingError error, object? value, string message) : ArgumentException(message)
{
    public SettingError Error { get; } = error;

    /// <summary>The value as the user gave it: the -Model text, the weights, the environment variable's name.</summary>
    public object? Value { get; } = value;
}
