namespace NeuralStyle.PowerShell.Results;

/// <summary>
/// One compute device as Get-StyleDevice reports it. <see cref="Name"/> is what -Device accepts.
/// <see cref="MemoryBytes"/>: for Cpu the memory .NET sees for this process; for a GPU its total memory from
/// the CUDA runtime (free memory in <see cref="Note"/>), null where that cannot be read (see CudaMemory).
/// </summary>
public sealed record StyleDeviceInfo(string Name, bool Available, long? MemoryBytes, string LibTorchVersion, int Threads, string Note);
