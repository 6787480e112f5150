using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// The cmdlet assembly lives in the session's default load context; its references into the private
/// context (NeuralStyle.Core, and the TorchSharp types some engine members expose) are resolved there,
/// as PowerShell's guide to assembly conflicts describes. PowerShell reads the cmdlet types (whose
/// fields use the engine's enums) before it calls <see cref="IModuleAssemblyInitializer.OnImport"/>,
/// which is too late to be first, so the root module NeuralStyle.psm1 calls <see cref="Register"/>
/// before it imports this assembly (OnImport only repeats it); Remove-Module detaches the handler.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static bool registered;

    private static readonly EngineLoadContext Engine =
        new(Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "Dependencies"));

    /// <summary>Resolves NeuralStyle.Core (and so everything it loads) in the module's own load context. Idempotent.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (!registered)
            {
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
                registered = true;
            }
        }
    }

    public void OnImport() => Register();

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            AssemblyLoadContext.Default.Resolving -= ResolveEngine;
            registered = false;
        }
    }

    /// <summary>
    /// Only names the default context could not find reach here. Ours are given only for the same major
    /// version, so another module asking for, say, ImageSharp 2 is never handed our ImageSharp 4.
    /// </summary>
    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name)
    {
        var path = Path.Combine(Engine.Dependencies, name.Name + ".dll");
        if (!File.Exists(path))
        {
            return null;
        }
        var ours = AssemblyName.GetAssemblyName(path).Version;
        return name.Version is null || ours is null || name.Version.Major == ours.Major ? Engine.LoadFromAssemblyName(name) : null;
    }
}
