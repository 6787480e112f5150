using System.Security.Cryptography;
using NeuralStyle.Core.Models;

namespace NeuralStyle.Core.Tests.Models;

/// <summary>Catalogue, cache states and what "auto" picks, on files made in a temp folder.</summary>
public sealed class ModelResolverTests : IDisposable
{
    private static readonly byte[] Weights = [1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly string WeightsSha256 = Convert.ToHexString(SHA256.HashData(Weights)).ToLowerInvariant();

    private readonly TempDirectory temp = new();
    private readonly string bundled;
    private readonly ModelCache cache;
    private readonly ModelInventory inventory;

    public ModelResolverTests()
    {
        bundled = Path.Combine(temp.Path, "models");
        Directory.CreateDirectory(bundled);
        File.WriteAllBytes(Path.Combine(bundled, "ResNet18.onnx"), [0]);
        cache = new ModelCache(Path.Combine(temp.Path, "cache"));
        var entries = ModelCatalog.BuiltInEntries("http://127.0.0.1:9/mirror")
            .Select(e => e.Source == ModelSource.Download ? e with { ExpectedSha256 = WeightsSha256 } : e);
        inventory = new ModelInventory(new ModelCatalog(entries, bundled), cache);
    }

    public void Dispose() => temp.Dispose();

    private ModelCatalogEntry Vgg => inventory.Catalog.Find("VGG19")!;

    [Fact]
    public void The_built_in_catalogue_points_at_torchvision_and_checks_its_hash_prefix()
    {
        var vgg = ModelCatalog.BuiltInEntries().Single(e => e.Name == "vgg19");
        Assert.Equal(new Uri("https://download.pytorch.org/models/vgg19-dcbb9e9d.pth"), vgg.DownloadUrl);
        Assert.Equal("dcbb9e9d", vgg.ExpectedSha256);
        Assert.True(vgg.HashMatches("dcbb9e9d" + new string('0', 56)));
        Assert.False(vgg.HashMatches("dcbb9e9e" + new string('0', 56)));
        Assert.Equal(ModelSource.Bundled, ModelCatalog.BuiltInEntries().Single(e => e.Name == "resnet18").Source);
    }

    [Fact]
    public void A_mirror_base_url_replaces_the_download_folder_but_keeps_file_and_hash()
    {
        var vgg = ModelCatalog.BuiltInEntries("http://127.0.0.1:8080/mirror").Single(e => e.Name == "vgg19");
        Assert.Equal(new Uri("http://127.0.0.1:8080/mirror/vgg19-dcbb9e9d.pth"), vgg.DownloadUrl);
        Assert.Equal("dcbb9e9d", vgg.ExpectedSha256);
        var bad = Assert.Throws<InvalidSettingException>(() => ModelCatalog.BuiltInEntries("file:///etc"));
        Assert.Equal((SettingError.InvalidModelBaseUrl, ModelCatalog.BaseUrlVariable), (bad.Error, bad.Value));
    }

    [Fact]
    public void Cache_folder_comes_from_the_environment_variable_first()
    {
        var before = Environment.GetEnvironmentVariable(ModelCache.DirectoryVariable);
        try
        {
            Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, temp.Path);
            Assert.Equal(Path.GetFullPath(temp.Path), ModelCache.DefaultDirectory());
            Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, null);
            var expectedTail = OperatingSystem.IsWindows() ? Path.Combine("NeuralStyle", "models") : Path.Combine("neuralstyle", "models");
            Assert.EndsWith(expectedTail, ModelCache.DefaultDirectory());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelCache.DirectoryVariable, before);
        }
    }

    [Fact]
    public void States_follow_the_files()
    {
        var states = () => inventory.GetAll().ToDictionary(s => s.Name, s => s.State);
        Assert.Equal(ModelState.Bundled, states()["resnet18"]);
        Assert.Equal(ModelState.NotDownloaded, states()["vgg19"]);
        Assert.Equal(548_143_872, inventory.GetStatus(Vgg).Size);

        Directory.CreateDirectory(cache.Directory);
        File.WriteAllBytes(cache.PartialPathOf(Vgg), [1, 2]);
        Assert.Equal(ModelState.Partial, states()["vgg19"]);

        File.Move(cache.PartialPathOf(Vgg), cache.PathOf(Vgg));
        Assert.Equal(ModelState.Cached, states()["vgg19"]);

        File.WriteAllBytes(cache.PathOf(Vgg), Weights);
        cache.Verify(Vgg);
        Assert.Equal(ModelState.Verified, states()["vgg19"]);

        File.Delete(Path.Combine(bundled, "ResNet18.onnx"));
        Assert.Equal(ModelState.Missing, states()["resnet18"]);
    }

    [Fact]
    public void Auto_picks_the_bundled_resnet_when_vgg19_is_not_downloaded_and_says_how_to_get_it()
    {
        var choice = new ModelResolver(inventory).Resolve("auto");
        Assert.Equal("resnet18", choice.Architecture);
        Assert.Equal(ModelSource.Bundled, choice.Source);
        Assert.Equal("Auto picked the bundled resnet18: vgg19 is not downloaded; 'Save-StyleModel vgg19' gets it.", choice.Explanation);
        Assert.Null(choice.Warning);
    }

    [Fact]
    public void Auto_picks_vgg19_when_cached_and_verified_and_remembers_the_verification()
    {
        Directory.CreateDirectory(cache.Directory);
        File.WriteAllBytes(cache.PathOf(Vgg), Weights);
        Assert.False(cache.IsVerified(Vgg));

        var choice = new ModelResolver(inventory).Resolve("Auto");

        Assert.Equal("vgg19", choice.Architecture);
        Assert.Equal(cache.PathOf(Vgg), choice.Path);
        Assert.Equal($"Auto picked vgg19 (cached at {cache.PathOf(Vgg)}).", choice.Explanation);
        Assert.True(cache.IsVerified(Vgg));
    }

    [Fact]
    public void A_corrupt_cached_vgg19_is_never_loaded()
    {
        Directory.CreateDirectory(cache.Directory);
        File.WriteAllBytes(cache.PathOf(Vgg), [9, 9, 9]);
        var resolver = new ModelResolver(inventory);

        var auto = resolver.Resolve("auto");
        Assert.Equal("resnet18", auto.Architecture);
        Assert.Contains("Save-StyleModel vgg19 -Force", auto.Warning);

        var e = Assert.Throws<ModelIntegrityException>(() => resolver.Resolve("vgg19"));
        Assert.Contains("Delete it", e.Message);
    }

    [Fact]
    public void Named_and_user_models()
    {
        var resolver = new ModelResolver(inventory);
        var e = Assert.Throws<ModelNotAvailableException>(() => resolver.Resolve("vgg19"));
        Assert.Contains("Save-StyleModel vgg19", e.Message);
        Assert.Equal("resnet18", resolver.Resolve("resnet18").Architecture);

        var user = Path.Combine(temp.Path, "mine.safetensors");
        File.WriteAllBytes(user, [0]);
        var choice = resolver.Resolve(user);
        Assert.Equal(("vgg19", ModelSource.User, user), (choice.Architecture, choice.Source, choice.Path));
        Assert.Throws<FileNotFoundException>(() => resolver.Resolve(Path.Combine(temp.Path, "absent.pth")));
        var unknown = Assert.Throws<InvalidSettingException>(() => resolver.Resolve("alexnet"));
        Assert.Equal((SettingError.UnknownModel, "alexnet"), (unknown.Error, unknown.Value));
        Assert.Equal(SettingError.UnknownModel, Assert.Throws<InvalidSettingException>(() => resolver.Resolve(" ")).Error);
    }

    [Fact]
    public void An_installed_module_finds_its_resnet18_in_a_runtime_folder_and_names_Install_StyleRuntime_when_none_has_it()
    {
        // The gallery package has no models/ of its own; Install-StyleRuntime puts the model in <runtime>/models.
        var moduleModels = Path.Combine(temp.Path, "module", "models");
        var runtimeModels = Path.Combine(temp.Path, "runtime", "models");
        var installed = new ModelInventory(new ModelCatalog(ModelCatalog.BuiltInEntries(), moduleModels, runtimeModels), cache);
        var resolver = new ModelResolver(installed);

        var named = Assert.Throws<ModelNotAvailableException>(() => resolver.Resolve("resnet18"));
        Assert.Contains("Install-StyleRuntime -Backend Cpu", named.Message);
        Assert.Contains(Path.Combine(moduleModels, "ResNet18.onnx"), named.Message);
        var auto = Assert.Throws<ModelNotAvailableException>(() => resolver.Resolve("auto"));
        Assert.Contains("vgg19 is not downloaded", auto.Message);
        Assert.Contains("Install-StyleRuntime", auto.Message);

        Directory.CreateDirectory(runtimeModels);
        File.WriteAllBytes(Path.Combine(runtimeModels, "ResNet18.onnx"), [0]);
        Assert.Equal(Path.Combine(runtimeModels, "ResNet18.onnx"), resolver.Resolve("resnet18").Path);
        Assert.Equal((ModelState.Bundled, ModelSource.Bundled), (installed.GetStatus(installed.Catalog.Find("resnet18")!).State, resolver.Resolve("auto").Source));

        // A development build's own copy comes first.
        Directory.CreateDirectory(moduleModels);
        File.WriteAllBytes(Path.Combine(moduleModels, "ResNet18.onnx"), [0]);
        Assert.Equal(Path.Combine(moduleModels, "ResNet18.onnx"), resolver.Resolve("resnet18").Path);
    }
}
