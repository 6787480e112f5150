using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NeuralStyle.Core.Models;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Tab completion for -Model/-ModelPath (and Get-StyleModel): a word that looks like a path completes to folders and
/// weights files (.pth, .pt, .safetensors, .onnx) as PowerShell completes paths; any other word to "auto" and the
/// catalogue's names, with their descriptions as tooltips.
/// </summary>
public sealed class ModelNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.IsPathLike(wordToComplete)
            ? CompletionCompleters.CompleteFilename(wordToComplete).Where(r =>
                r.ResultType == CompletionResultType.ProviderContainer || ModelResolver.ArchitectureOfFile(r.ListItemText) is not null)
            : NameCompletion.Matching(wordToComplete, ModelCatalog.BuiltInEntries()
                .Select(e => (e.Name, e.Description))
                .Prepend((ModelCatalog.AutoName, "VGG19 when downloaded and intact, else the bundled ResNet-18")));
}

/// <summary>Tab completion for Save-StyleModel: only the models it can download (the bundled one and "auto" are not downloads).</summary>
public sealed class DownloadableModelCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Matching(wordToComplete, ModelCatalog.BuiltInEntries()
            .Where(e => e.Source == ModelSource.Download)
            .Select(e => (e.Name, $"{e.Description} ({e.ApproximateSize / 1_000_000:N0} MB)")));
}
