namespace NeuralStyle.PowerShell.Results;

/// <summary>One styled image New-StyleTransfer wrote, and how it was made (seed to reproduce it).</summary>
public sealed record StyleTransferInfo(
    string Path,
    string Content,
    string[] Styles,
    int Width,
    int Height,
    double Seconds,
    int Steps,
    double FinalLoss,
    string Model,
    string Device,
    long Seed,
    int Octaves,
    string PreserveColor);
