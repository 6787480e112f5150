namespace NeuralStyle.Core.Imaging;

/// <summary>
/// What a file's header says, without decoding pixels. Width and Height are as displayed, i.e. after EXIF
/// orientation, so they match what <see cref="ImageCodec.Read"/> returns.
/// </summary>
public sealed record ImageHeader(int Width, int Height, string FormatName, bool HasAlpha, int BitsPerChannel);
