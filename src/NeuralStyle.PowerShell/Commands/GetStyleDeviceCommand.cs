using System.Management.Automation;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Runtime;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Lists the compute devices this build can use and proves the native stack by running a tensor op.</summary>
[Cmdlet(VerbsCommon.Get, "StyleDevice", HelpUri = OnlineHelp.Base + "Get-StyleDevice.md")]
[OutputType(typeof(StyleDeviceInfo))]
public sealed class GetStyleDeviceCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        try { NativeRuntime.Require(); }
        catch (RuntimeNotInstalledException e) { ThrowTerminatingError(ErrorRecords.From(e, ComputeDevice.Cpu)); }
        var version = TorchRuntime.LibTorchVersion;
        var threads = TorchRuntime.CpuThreads;
        var cpuCheck = TorchRuntime.SelfTest(ComputeDevice.Cpu);
        WriteObject(new StyleDeviceInfo("Cpu", true, version, threads, $"self-test {cpuCheck:0}"));
        var cuda = TorchRuntime.CudaAvailable;
        WriteObject(new StyleDeviceInfo("Cuda", cuda, version, threads,
            cuda ? $"self-test {TorchRuntime.SelfTest(ComputeDevice.Cuda):0}" : "not available in this build or no GPU visible"));
    }
}
