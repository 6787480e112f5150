using System.Globalization;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>
/// In CI, on the reduced fixture: each format reached as a user file (-ModelPath) and as the cached "vgg19", then one
/// forward and backward step. <see cref="Vgg19FullSizeLoadTests"/> does the same at full size, on demand.
/// </summary>
public sealed class Vgg19LoadPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("legacy")]
    [InlineData("zip")]
    [InlineData("safetensors")]
    public void Reduced_file_loads_as_a_user_file_and_from_the_cache_and_runs_a_step(string format)
    {
        var dict = Vgg19Fixture.CreateStateDict();
        string file = _dir.File(Vgg19Fixture.FileName("mine", format));
        try
        {
            using var stream = File.Create(file);
            Vgg19Fixture.Save(dict, format, stream);
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }

        var catalog = new ModelCatalog(ModelCatalog.BuiltInEntries(), _dir.Path);
        var cache = new ModelCache(_dir.File("cache"));
        PlaceVerified(cache, catalog.Find(ModelCatalog.Vgg19Name)!, file);
        var resolver = new ModelResolver(new ModelInventory(catalog, cache));
        foreach (var model in new[] { file, ModelCatalog.Vgg19Name })
        {
            var choice = resolver.Resolve(model);
            Assert.Equal(model == file ? ModelSource.User : ModelSource.Download, choice.Source);
            using var network = Vgg19Network.Load(choice.Path, CPU);
            Assert.Equal(Vgg19Fixture.Channels, network.ConvolutionChannels);
            AssertOneStep(network);
        }
    }

    [Fact]
    public void Legacy_reader_reads_tensors_larger_than_its_chunk_exactly_and_skips_the_unwanted_ones()
    {
        using var generator = new Generator(5);
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["classifier.0.weight"] = torch.randn([3000, 1000], generator: generator), // skipped on disk
            ["features.0.weight"] = torch.randn([2500, 1100], generator: generator),   // 2.6 chunks of 2^20 floats
            ["features.0.bias"] = torch.randn([7], generator: generator),
        };
        string file = _dir.File("legacy.pth");
        try
        {
            using (var stream = File.Create(file)) LegacyTorchFileWriter.Write(dict, stream);
            var read = StateDictFile.Read(file, key => key.StartsWith("features.", StringComparison.Ordinal));
            try
            {
                Assert.Equal(["features.0.bias", "features.0.weight"], read.Keys.Order());
                foreach (var key in read.Keys)
                    Assert.True(dict[key].allclose(read[key], rtol: 0, atol: 0), key);
            }
            finally
            {
                Vgg19Fixture.Dispose(read);
            }

            // Cut inside the last storage: an error, not zeros.
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length - 20)]);
            Assert.Throws<StateDictFormatException>(() => StateDictFile.Read(file));
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }
    }

    /// <summary>
    /// Copies <paramref name="file"/> into the cache under the catalogue's name with the sidecar a verified download
    /// leaves: the random weights cannot have torchvision's SHA-256, so the record claims it (size and time match).
    /// </summary>
    internal static void PlaceVerified(ModelCache cache, ModelCatalogEntry entry, string file)
    {
        Directory.CreateDirectory(cache.Directory);
        string cached = cache.PathOf(entry);
        if (File.Exists(cached)) File.Delete(cached);
        File.Copy(file, cached);
        var info = new FileInfo(cached);
        string claimed = entry.ExpectedSha256!.PadRight(64, '0');
        File.WriteAllText(cache.SidecarPathOf(entry), string.Create(CultureInfo.InvariantCulture, $"{claimed} {info.Length} {info.LastWriteTimeUtc.Ticks}\n"));
        Assert.True(cache.IsVerified(entry));
    }

    /// <summary>One tiny optimisation step's work: forward to relu4_2 at 64 px, backward to the pixels.</summary>
    internal static void AssertOneStep(Vgg19Network network)
    {
        using var scope = torch.NewDisposeScope();
        var pixels = torch.rand([1, 3, 64, 64]).requires_grad_(true);
        var features = network.Forward(network.Preprocess(pixels), ["relu1_1", "relu2_1", "relu4_2"]);
        var loss = features["relu1_1"].square().mean() + features["relu2_1"].square().mean() + features["relu4_2"].square().mean();
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        Assert.True(pixels.grad is { } g && g.abs().sum().item<float>() > 0);
    }
}
