using System.Management.Automation;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>The one completion rule for names (models, devices): those starting with the typed word, quotes ignored, case-insensitive.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Matching(string? wordToComplete, IEnumerable<(string Name, string Tooltip)> names)
    {
        var prefix = Unquoted(wordToComplete);
        return names.Where(n => n.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => new CompletionResult(n.Name, n.Name, CompletionResultType.ParameterValue, n.Tooltip));
    }

    /// <summary>
    /// True for a word that can only be a path: it starts with ./ ../ / ~ or a drive (C:), or has a separator in it.
    /// Names never do, so a name and a path never compete for the same word.
    /// </summary>
    public static bool IsPathLike(string? wordToComplete)
    {
        var word = Unquoted(wordToComplete);
        return word.StartsWith('~') || word.StartsWith('.') || word.Contains('/') || word.Contains('\\')
            || word.Length >= 2 && char.IsAsciiLetter(word[0]) && word[1] == ':';
    }

    private static string Unquoted(string? word) => (word ?? "").Trim('\'', '"');
}
