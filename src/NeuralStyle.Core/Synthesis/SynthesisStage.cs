namespace NeuralStyle.Core.Synthesis;

/// <summary>One size of a coarse-to-fine schedule; the image at 1/2^k of the final size matches the style from octave k on.</summary>
public sealed record SynthesisStage(int Index, int Width, int Height, int StyleOctaveOffset, int Steps);
