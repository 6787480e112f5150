using NeuralStyle.Core.Models;

namespace NeuralStyle.PowerShell.Results;

/// <summary>A model as Get-StyleModel and Save-StyleModel report it.</summary>
/// <param name="Name">Name to pass to -Model (or the file name of a user file).</param>
/// <param name="Description">What the model is.</param>
/// <param name="Source">Bundled, Download or User.</param>
/// <param name="State">Bundled, Cached, Verified, NotDownloaded, Partial or Missing.</param>
/// <param name="Size">Bytes on disk; for NotDownloaded the approximate download size; for Partial the bytes so far.</param>
/// <param name="Path">Where the file is, or will be once downloaded.</param>
/// <param name="Url">Where a downloadable model comes from.</param>
public sealed record StyleModelInfo(string Name, string Description, ModelSource Source, ModelState State, long? Size, string Path, Uri? Url)
{
    internal static StyleModelInfo From(ModelStatus s) => new(s.Name, s.Description, s.Source, s.State, s.Size, s.Path, s.Url);
}
