using System.Management.Automation;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>The one completion rule for names (models, devices): those starting with the typed word, quotes ignored, case-insensitive.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Matching(string? wordToComplete, IEnumerable<(string Name, string Tooltip)> names)
    {
        var prefix = (wordToComplete ?? "").Trim('\'', '"');
        return names.Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue, n.Tooltip));
    }
}
