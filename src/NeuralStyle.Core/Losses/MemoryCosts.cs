namespace NeuralStyle.Core.Losses;

/// <summary>What a network's activations cost per pixel, measured (see Synthesis.MemoryEstimate).</summary>
/// <param name="WholeImageBytesPerPixel">Activations of a whole-image step, every octave included, per output pixel.</param>
/// <param name="TileBytesPerPixel">Activations of one tile, per pixel of the tile (one pyramid level at a time).</param>
public sealed record MemoryCosts(long WholeImageBytesPerPixel, long TileBytesPerPixel);
