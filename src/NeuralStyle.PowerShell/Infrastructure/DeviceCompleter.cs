using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NeuralStyle.Core.Compute;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Tab completion for -Device: the devices usable here (Auto, Cpu, and Cuda, Cuda:0… when libtorch sees GPUs).</summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Matching(wordToComplete, DeviceSelection.Choices(TorchRuntime.CudaDeviceCount).Select(d => (d.ToString(), Tooltip(d))));

    private static string Tooltip(ComputeDevice device) => device switch
    {
        { Kind: DeviceKind.Auto } => "CUDA when a GPU is usable, else the CPU",
        { Kind: DeviceKind.Cpu } => "the CPU",
        { Index: int i } => $"GPU {i}",
        _ => "libtorch's current GPU",
    };
}
