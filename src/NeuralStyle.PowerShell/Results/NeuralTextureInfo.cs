namespace NeuralStyle.PowerShell.Results;

/// <summary>A texture New-NeuralTexture made: where it is, how big, and how it was made (seed to reproduce it).</summary>
public sealed record NeuralTextureInfo(
    string Path,
    int Width,
    int Height,
    double Seconds,
    int Steps,
    double FinalLoss,
    string Model,
    string Device,
    long Seed,
    int Octaves,
    bool Tileable,
    string[] Sources);
