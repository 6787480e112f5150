namespace NeuralStyle.Core.Models;

/// <summary>The models NeuralStyle knows by name. Built from records, so tests can describe their own.</summary>
public sealed class ModelCatalog
{
    /// <summary>Replaces the download base URL (a mirror that serves the same files under the same names).</summary>
    public const string BaseUrlVariable = "NEURALSTYLE_MODEL_BASEURL";

    public const string ResNet18Name = "resnet18";
    public const string Vgg19Name = "vgg19";

    /// <summary>Let NeuralStyle pick: VGG19 when it is downloaded and intact, else the bundled ResNet-18.</summary>
    public const string AutoName = "auto";

    private const string TorchvisionBaseUrl = "https://download.pytorch.org/models/";

    private readonly Dictionary<string, ModelCatalogEntry> byName;

    /// <param name="bundledDirectories">Where bundled models are looked for, in order; the first is the module's own folder.</param>
    public ModelCatalog(IEnumerable<ModelCatalogEntry> entries, params string[] bundledDirectories)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(bundledDirectories);
        ArgumentOutOfRangeException.ThrowIfZero(bundledDirectories.Length);
        Entries = entries.ToArray();
        byName = Entries.ToDictionary(e => e.Name, StringComparer.OrdinalIgnoreCase);
        BundledDirectories = bundledDirectories;
    }

    public IReadOnlyList<ModelCatalogEntry> Entries { get; }

    /// <summary>
    /// The folders that hold bundled models: models/ beside the assemblies (a development build copies the
    /// ResNet-18 there), then the models/ of each installed runtime (Install-StyleRuntime brings it to a module
    /// installed from the gallery, whose package leaves it out).
    /// </summary>
    public IReadOnlyList<string> BundledDirectories { get; }

    /// <summary>
    /// The built-in catalogue. The VGG19 file is torchvision's; torchvision publishes only the first 8
    /// hex digits of its SHA-256 (in the file name) and checks exactly that prefix, and so do we.
    /// </summary>
    public static ModelCatalog FromEnvironment()
    {
        var baseUrl = Environment.GetEnvironmentVariable(BaseUrlVariable);
        return new ModelCatalog(BuiltInEntries(string.IsNullOrWhiteSpace(baseUrl) ? null : baseUrl),
            [DefaultBundledDirectory, .. Runtime.RuntimeLocations.ModelDirectories()]);
    }

    /// <summary>The built-in entries; <paramref name="baseUrl"/> replaces torchvision's download folder.</summary>
    /// <exception cref="InvalidSettingException"><paramref name="baseUrl"/> is not an absolute http(s) URL (<see cref="SettingError.InvalidModelBaseUrl"/>).</exception>
    public static IReadOnlyList<ModelCatalogEntry> BuiltInEntries(string? baseUrl = null)
    {
        var root = new Uri(TorchvisionBaseUrl);
        if (baseUrl is not null)
        {
            if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out var mirror)
                || (mirror.Scheme != Uri.UriSchemeHttp && mirror.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidSettingException(SettingError.InvalidModelBaseUrl, BaseUrlVariable,
                    $"{BaseUrlVariable} must be an absolute http(s) URL of a folder, not '{baseUrl}'.");
            }
            root = mirror;
        }
        const string vggFile = "vgg19-dcbb9e9d.pth";
        return
        [
            new(ResNet18Name, "ImageNet ResNet-18 (ONNX, from ML.NET's featurizer); fast, comes with the module or its runtime", ModelSource.Bundled,
                Networks.ModelFiles.ResNet18FileName)
            {
                ApproximateSize = 64L * 1024 * 1024,
            },
            new(Vgg19Name, "ImageNet VGG19 (torchvision); the network of Gatys et al., best quality", ModelSource.Download, vggFile)
            {
                DownloadUrl = new Uri(root, vggFile),
                ExpectedSha256 = "dcbb9e9d",
                ApproximateSize = 548_143_872,
            },
        ];
    }

    /// <summary>models/ beside NeuralStyle.Core.dll, where the build puts bundled models.</summary>
    public static string DefaultBundledDirectory
    {
        get
        {
            // Assembly.Location is empty for single-file apps; the base directory is the right fallback there.
            var location = typeof(ModelCatalog).Assembly.Location;
            var folder = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
            return Path.Combine(folder, "models");
        }
    }

    /// <summary>The entry called <paramref name="name"/> (case-insensitive), or null.</summary>
    public ModelCatalogEntry? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.GetValueOrDefault(name);
    }

    /// <summary>Full path of a bundled entry's file: the first folder that has it, else where the module's own copy would be.</summary>
    public string BundledPath(ModelCatalogEntry entry) =>
        BundledDirectories.Select(d => Path.Combine(d, entry.FileName)).FirstOrDefault(File.Exists) ?? Path.Combine(BundledDirectories[0], entry.FileName);
}
