using System.Reflection;
using System.Runtime.Loader;
using NeuralStyle.Core.Runtime;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// The module's own load context: the engine and everything it depends on (TorchSharp, ImageSharp,
/// Google.Protobuf, OnnxSharp, PyBridge, ...) load from Dependencies/ here, so other modules' versions of
/// the same assemblies in the session's default context neither break nor are broken by ours. Native
/// libraries that these assemblies import come from the runtime folder <see cref="NativeRuntime"/> finds.
/// </summary>
internal sealed class EngineLoadContext(string dependencies) : AssemblyLoadContext("NeuralStyle.Engine", isCollectible: false)
{
    public string Dependencies { get; } = dependencies;

    /// <summary>Our copy when Dependencies/ has one; otherwise (the framework) the default context's.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(Dependencies, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        if (NativeRuntime.Directory is { } directory)
        {
            foreach (var name in RuntimePlatform.NativeFileNames(unmanagedDllName))
            {
                var path = Path.Combine(directory, name);
                if (File.Exists(path))
                {
                    return LoadUnmanagedDllFromPath(path);
                }
            }
        }
        return IntPtr.Zero;
    }
}
