namespace NeuralStyle.PowerShell.Results;

/// <summary>One octave of a style pyramid, as Get-StylePyramid emits it. <see cref="Path"/> is null when nothing was written.</summary>
public sealed record StylePyramidLevelInfo(string Source, int Octave, int Width, int Height, double Scale, string? Path);
