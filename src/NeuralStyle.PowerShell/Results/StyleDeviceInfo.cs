namespace NeuralStyle.PowerShell.Results;

/// <summary>One compute device as Get-StyleDevice reports it.</summary>
public sealed record StyleDeviceInfo(string Name, bool Available, string LibTorchVersion, int Threads, string Note);
