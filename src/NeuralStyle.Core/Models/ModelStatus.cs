namespace NeuralStyle.Core.Models;

/// <summary>A model and whether its weights are here.</summary>
/// <param name="Name">Catalogue name, or the file name for a user file.</param>
/// <param name="Description">One line for listings.</param>
/// <param name="Source">Bundled, Download or User.</param>
/// <param name="State">Bundled, Cached, Verified, NotDownloaded, Partial or Missing.</param>
/// <param name="Path">Where the file is (or will be once downloaded).</param>
/// <param name="Size">Bytes on disk; for a model not downloaded, the approximate download size; for a partial, the bytes so far.</param>
/// <param name="Url">Where a download model comes from.</param>
public sealed record ModelStatus(string Name, string Description, ModelSource Source, ModelState State, string Path, long? Size, Uri? Url);
