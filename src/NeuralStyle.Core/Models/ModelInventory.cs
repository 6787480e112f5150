namespace NeuralStyle.Core.Models;

/// <summary>Answers "which models are here, and in what state?" from the catalogue and the cache, without hashing.</summary>
public sealed class ModelInventory(ModelCatalog catalog, ModelCache cache)
{
    public ModelCatalog Catalog { get; } = catalog ?? throw new ArgumentNullException(nameof(catalog));

    public ModelCache Cache { get; } = cache ?? throw new ArgumentNullException(nameof(cache));

    /// <summary>The inventory of the current user (environment overrides applied).</summary>
    public static ModelInventory FromEnvironment() => new(ModelCatalog.FromEnvironment(), ModelCache.FromEnvironment());

    public IReadOnlyList<ModelStatus> GetAll() => Catalog.Entries.Select(GetStatus).ToArray();

    public ModelStatus GetStatus(ModelCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Source == ModelSource.Bundled)
        {
            var bundled = new FileInfo(Catalog.BundledPath(entry));
            return new ModelStatus(entry.Name, entry.Description, entry.Source,
                bundled.Exists ? ModelState.Bundled : ModelState.Missing, bundled.FullName, bundled.Exists ? bundled.Length : null, null);
        }

        var file = new FileInfo(Cache.PathOf(entry));
        var partial = new FileInfo(Cache.PartialPathOf(entry));
        var (state, size) = file.Exists ? (Cache.IsVerified(entry) ? ModelState.Verified : ModelState.Cached, (long?)file.Length)
            : partial.Exists ? (ModelState.Partial, partial.Length)
            : (ModelState.NotDownloaded, entry.ApproximateSize);
        return new ModelStatus(entry.Name, entry.Description, entry.Source, state, file.FullName, size, entry.DownloadUrl);
    }

    /// <summary>A weights file the user points at: VGG19 for .pth/.safetensors, ResNet-18 for .onnx.</summary>
    public static ModelStatus DescribeUserFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileInfo(path);
        var architecture = ModelResolver.ArchitectureOfFile(path);
        var description = architecture is { } a ? $"User file, read as {a}" : "User file of an unknown kind (.pth, .safetensors or .onnx expected)";
        return new ModelStatus(file.Name, description, ModelSource.User, file.Exists ? ModelState.Cached : ModelState.Missing,
            file.FullName, file.Exists ? file.Length : null, null);
    }
}
