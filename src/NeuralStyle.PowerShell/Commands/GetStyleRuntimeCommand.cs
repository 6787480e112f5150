using System.Management.Automation;
using NeuralStyle.Core.Runtime;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Lists the native libtorch runtimes this module can load, and which one it uses.</summary>
[Cmdlet(VerbsCommon.Get, "StyleRuntime", HelpUri = OnlineHelp.Base + "Get-StyleRuntime.md")]
[OutputType(typeof(StyleRuntimeInfo))]
public sealed class GetStyleRuntimeCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        var inUse = NativeRuntime.Directory;
        var installed = RuntimeLocations.FindInstalled();
        if (inUse is not null && NativeRuntime.Installed is null)
        {
            // A development build: the natives of the local restore sit beside the engine.
            WriteObject(new StyleRuntimeInfo(null, RuntimePlatform.CurrentRid, RuntimeVersions.TorchSharp, RuntimeVersions.LibTorch, true, null, null, inUse, "module folder", []));
        }
        foreach (var runtime in installed)
        {
            WriteObject(StyleRuntimeInfo.From(runtime, inUse is not null && Path.GetFullPath(runtime.Directory) == Path.GetFullPath(inUse)));
        }
        if (inUse is null)
        {
            WriteVerbose($"No runtime is installed; run Install-StyleRuntime -Backend Cpu (or Cuda). Looked in '{RuntimeLocations.RootOf(RuntimeScope.CurrentUser)}' and '{RuntimeLocations.RootOf(RuntimeScope.AllUsers)}'.");
        }
    }
}
