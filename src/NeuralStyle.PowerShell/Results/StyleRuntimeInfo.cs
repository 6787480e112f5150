using NeuralStyle.Core.Runtime;

namespace NeuralStyle.PowerShell.Results;

/// <summary>A native libtorch runtime as Get-StyleRuntime and Install-StyleRuntime report it.</summary>
/// <param name="Backend">Cpu or Cuda.</param>
/// <param name="Platform">The runtime identifier (linux-x64, win-x64, osx-arm64, ...).</param>
/// <param name="InUse">True for the runtime this session loads (or will load) its natives from.</param>
/// <param name="Scope">CurrentUser or AllUsers; null for natives beside the module (a development build).</param>
/// <param name="Size">Bytes of the unpacked native files.</param>
/// <param name="Packages">The NuGet packages it was made from.</param>
public sealed record StyleRuntimeInfo(RuntimeBackend? Backend, string Platform, string TorchSharpVersion, string LibTorchVersion, bool InUse,
    RuntimeScope? Scope, long? Size, string Path, string? Source, string[] Packages)
{
    internal static StyleRuntimeInfo From(InstalledRuntime r, bool inUse) => new(r.Backend, r.Rid, r.TorchSharpVersion, r.LibTorchVersion, inUse,
        r.Scope, r.SizeBytes, r.Directory, r.Source, [.. r.Packages.Select(p => $"{p.Id} {p.Version}")]);
}
