namespace NeuralStyle.PowerShell.Results;

/// <summary>
/// One compute device as Get-StyleDevice reports it. <see cref="Name"/> is what -Device accepts.
/// <see cref="MemoryBytes"/>: for Cpu the memory .NET sees for this process; null for GPUs, whose memory
/// TorchSharp 0.107 does not report (it binds only the device count).
/// </summary>
public sealed record StyleDeviceInfo(string Name, bool Available, long? MemoryBytes, string LibTorchVersion, int Threads, string Note);
