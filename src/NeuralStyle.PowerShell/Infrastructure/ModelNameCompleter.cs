using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NeuralStyle.Core.Models;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Tab completion for model names: "auto" and every catalogue entry, with its description as tooltip.</summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Matching(wordToComplete, ModelCatalog.BuiltInEntries()
            .Select(e => (e.Name, e.Description))
            .Prepend((ModelCatalog.AutoName, "VGG19 when downloaded and intact, else the bundled ResNet-18")));
}
