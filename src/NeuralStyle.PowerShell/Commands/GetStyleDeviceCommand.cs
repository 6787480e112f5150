using System.Management.Automation;
using NeuralStyle.Core;
using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Runtime;
using NeuralStyle.PowerShell.Infrastructure;
using NeuralStyle.PowerShell.Results;

namespace NeuralStyle.PowerShell.Commands;

/// <summary>Lists the compute devices this build can use (one row per GPU) and proves the native stack by running a tensor op on each.</summary>
[Cmdlet(VerbsCommon.Get, "StyleDevice", HelpUri = OnlineHelp.Base + "Get-StyleDevice.md")]
[OutputType(typeof(StyleDeviceInfo))]
public sealed class GetStyleDeviceCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        try { NativeRuntime.Require(); }
        catch (RuntimeNotInstalledException e) { ThrowTerminatingError(ErrorRecords.From(e, ComputeDevice.Cpu)); }
        var version = TorchRuntime.LibTorchVersion;
        int threads;
        try { threads = ThreadBudget.ForItem(); }
        catch (InvalidSettingException e) { ThrowTerminatingError(ErrorRecords.From(e, null)); return; }
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        WriteObject(new StyleDeviceInfo("Cpu", true, memory, version, threads, $"self-test {TorchRuntime.SelfTest(ComputeDevice.Cpu):0}"));
        var gpus = TorchRuntime.CudaDeviceCount;
        if (gpus == 0)
            WriteObject(new StyleDeviceInfo("Cuda", false, null, version, threads, "not available in this build or no GPU visible"));
        for (var i = 0; i < gpus; i++)
        {
            var gpu = ComputeDevice.CudaAt(i);
            var selfTest = $"self-test {TorchRuntime.SelfTest(gpu):0}";
            var reading = CudaMemory.Of(i);
            var note = reading is { } r ? $"{selfTest}, {r.FreeBytes / (double)(1L << 30):0.0} GiB free" : $"{selfTest}, memory unknown (no CUDA runtime library found)";
            WriteObject(new StyleDeviceInfo(gpu.ToString(), true, reading?.TotalBytes, version, threads, note));
        }
    }
}
