namespace NeuralStyle.Core.Models;

/// <summary>What <see cref="ModelResolver"/> decided: which network to build, from which file, and why.</summary>
/// <param name="Architecture">"vgg19" or "resnet18": the network type to build.</param>
/// <param name="Path">The weights file (already verified when it came from the cache).</param>
/// <param name="Source">Bundled, Download (cached) or User.</param>
/// <param name="Explanation">One sentence for -Verbose.</param>
/// <param name="Warning">Something the user should see even without -Verbose (e.g. a corrupt cached file was skipped), or null.</param>
public sealed record ModelChoice(string Architecture, string Path, ModelSource Source, string Explanation, string? Warning = null);
