namespace NeuralStyle.Core.Imaging;

/// <summary>Output encodings. <see cref="Png16"/> keeps 16 bits per channel.</summary>
public enum ImageFileFormat
{
    Png,
    Png16,
    Jpeg,
    Tiff,
}
