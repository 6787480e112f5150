namespace NeuralStyle.Core.Models;

/// <summary>
/// Turns the -Model argument ("auto", a catalogue name or a file path) into the network to build.
/// Auto picks VGG19 when it is downloaded and intact, else the bundled ResNet-18.
/// </summary>
public sealed class ModelResolver(ModelInventory inventory)
{
    public ModelInventory Inventory { get; } = inventory ?? throw new ArgumentNullException(nameof(inventory));

    /// <exception cref="ModelNotAvailableException">A named model is not on this machine.</exception>
    /// <exception cref="ModelIntegrityException">The cached file asked for by name is corrupt.</exception>
    /// <exception cref="FileNotFoundException">A path that does not exist.</exception>
    /// <exception cref="InvalidSettingException">Neither a known name nor a weights file (<see cref="SettingError.UnknownModel"/>).</exception>
    public ModelChoice Resolve(string model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (string.Equals(model, ModelCatalog.AutoName, StringComparison.OrdinalIgnoreCase))
        {
            return ResolveAuto(cancellationToken);
        }
        var entry = Inventory.Catalog.Find(model);
        if (entry is not null)
        {
            return ResolveNamed(entry, cancellationToken);
        }
        if (ArchitectureOfFile(model) is { } architecture)
        {
            var full = System.IO.Path.GetFullPath(model);
            if (!File.Exists(full))
            {
                throw new FileNotFoundException($"Model file '{full}' was not found.", full);
            }
            return new ModelChoice(architecture, full, ModelSource.User, $"Using the user file '{full}' as {architecture}.");
        }
        var names = string.Join(", ", Inventory.Catalog.Entries.Select(e => e.Name).Prepend(ModelCatalog.AutoName));
        throw new InvalidSettingException(SettingError.UnknownModel, model,
            $"Unknown model '{model}'. Use one of {names}, or the path of a .pth/.safetensors (VGG19) or .onnx (ResNet-18) file.");
    }

    /// <summary>"vgg19" for .pth/.safetensors, "resnet18" for .onnx, else null.</summary>
    public static string? ArchitectureOfFile(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".pth" or ".pt" or ".safetensors" => ModelCatalog.Vgg19Name,
        ".onnx" => ModelCatalog.ResNet18Name,
        _ => null,
    };

    private ModelChoice ResolveNamed(ModelCatalogEntry entry, CancellationToken cancellationToken)
    {
        var status = Inventory.GetStatus(entry);
        switch (status.State)
        {
            case ModelState.Bundled:
                return new ModelChoice(entry.Name, status.Path, ModelSource.Bundled, $"Using the bundled {entry.Name} ({status.Path}).");
            case ModelState.Missing:
                throw BundledMissing(entry, status, null);
            case ModelState.Cached or ModelState.Verified:
                var path = Inventory.Cache.Verify(entry, cancellationToken);
                return new ModelChoice(entry.Name, path, ModelSource.Download, $"Using {entry.Name} from the cache ({path}).");
            default:
                throw new ModelNotAvailableException(
                    $"Model '{entry.Name}' is not downloaded{(status.State == ModelState.Partial ? " (a download was interrupted)" : "")}. " +
                    $"Run 'Save-StyleModel {entry.Name}' to get it{SizeNote(entry)}, use -Model {ModelCatalog.ResNet18Name} (bundled), " +
                    "or pass a file you already have as -Model <path>.");
        }
    }

    private ModelChoice ResolveAuto(CancellationToken cancellationToken)
    {
        var vgg = Inventory.Catalog.Find(ModelCatalog.Vgg19Name);
        var resnet = Inventory.Catalog.Find(ModelCatalog.ResNet18Name)
            ?? throw new InvalidOperationException("The catalogue has no resnet18 entry.");
        string reason;
        string? warning = null;
        var vggStatus = vgg is null ? null : Inventory.GetStatus(vgg);
        if (vgg is not null && vggStatus!.State is ModelState.Cached or ModelState.Verified)
        {
            try
            {
                var path = Inventory.Cache.Verify(vgg, cancellationToken);
                return new ModelChoice(vgg.Name, path, ModelSource.Download, $"Auto picked {vgg.Name} (cached at {path}).");
            }
            catch (ModelIntegrityException e)
            {
                reason = $"the cached {vgg.Name} failed its hash check";
                warning = e.Message;
            }
        }
        else
        {
            reason = vggStatus?.State == ModelState.Partial
                ? $"the {ModelCatalog.Vgg19Name} download is incomplete; 'Save-StyleModel {ModelCatalog.Vgg19Name}' resumes it"
                : $"{ModelCatalog.Vgg19Name} is not downloaded; 'Save-StyleModel {ModelCatalog.Vgg19Name}' gets it";
        }
        var resnetStatus = Inventory.GetStatus(resnet);
        if (resnetStatus.State != ModelState.Bundled)
        {
            throw BundledMissing(resnet, resnetStatus, reason);
        }
        return new ModelChoice(resnet.Name, resnetStatus.Path, ModelSource.Bundled, $"Auto picked the bundled {resnet.Name}: {reason}.", warning);
    }

    /// <summary>A module installed from the gallery gets its ResNet-18 with its runtime; a development build has it beside the engine.</summary>
    private static ModelNotAvailableException BundledMissing(ModelCatalogEntry entry, ModelStatus status, string? autoReason) => new(
        (autoReason is null ? "" : $"No model is available: {autoReason}. ") +
        $"The {entry.Name} model is neither in the module folder ('{status.Path}') nor in an installed runtime. " +
        "Run 'Install-StyleRuntime -Backend Cpu' (or '-Backend Cuda'; add -Force to a runtime installed without it): it installs the model with the natives. " +
        "A development build copies it there itself (./build.ps1 Build).");

    private static string SizeNote(ModelCatalogEntry entry) =>
        entry.ApproximateSize is long size ? $" ({size / 1_000_000:N0} MB)" : "";
}
