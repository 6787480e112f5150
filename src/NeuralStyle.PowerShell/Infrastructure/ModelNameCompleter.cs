using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Tab completion for -Model: the network names the engine knows.</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    private static readonly string[] Names = ["Auto", "ResNet18"];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Names.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
}
