using System.Diagnostics;
using System.Globalization;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Tests.Support;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>
/// The real VGG19 file shape: torchvision's keys and shapes at full size (548 MB of float32, random weights) in the
/// three formats, loaded as -ModelPath takes a user file and as the cache serves "vgg19", then one tiny step, with
/// the load time and the peak memory of loading measured. Too slow and too big for CI on 2 cores (writing the three
/// files alone is 1.6 GB), so it runs only with NEURALSTYLE_FULL_VGG19=1, as bench/Measure-Vgg19Load.ps1 sets it;
/// the same code paths run in CI on the reduced fixture (<see cref="Vgg19LoadPathTests"/>).
/// </summary>
public sealed class Vgg19FullSizeLoadTests
{
    public const string Variable = "NEURALSTYLE_FULL_VGG19";
    public const string ReportVariable = "NEURALSTYLE_FULL_VGG19_REPORT";

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "neuralstyle-vgg19-full");
    private static readonly object Gate = new();

    [SkippableTheory]
    [InlineData("legacy")]
    [InlineData("zip")]
    [InlineData("safetensors")]
    public void Full_size_file_loads_within_one_and_a_half_times_its_size_and_runs_a_step(string format)
    {
        Skip.IfNot(Environment.GetEnvironmentVariable(Variable) == "1",
            $"full-size VGG19 (548 MB per file): set {Variable}=1, or run bench/Measure-Vgg19Load.ps1");
        Skip.IfNot(OperatingSystem.IsLinux(), "peak memory is read from /proc/self/status");
        lock (Gate) // one at a time: the peaks must not overlap
        {
            string file = Fixture(format);
            long size = new FileInfo(file).Length;
            var cache = Path.Combine(Folder, "cache-" + format);
            var catalog = new ModelCatalog(ModelCatalog.BuiltInEntries(), Folder);
            var entry = catalog.Find(ModelCatalog.Vgg19Name)!;
            Vgg19LoadPathTests.PlaceVerified(new ModelCache(cache), entry, file);
            var resolver = new ModelResolver(new ModelInventory(catalog, new ModelCache(cache)));

            foreach (var (route, model) in new[] { ("-ModelPath", file), ("cache", ModelCatalog.Vgg19Name) })
            {
                var choice = resolver.Resolve(model);
                Assert.Equal(ModelCatalog.Vgg19Name, choice.Architecture);
                (double seconds, long peak) = Measure(() => Vgg19Network.Load(choice.Path, CPU), out var network);
                using (network)
                {
                    Assert.Equal(Vgg19Fixture.FullChannels, network.ConvolutionChannels);
                    Vgg19LoadPathTests.AssertOneStep(network);
                }
                string line = string.Create(CultureInfo.InvariantCulture,
                    $"| {format} | {route} | {size / 1e6:F0} MB | {seconds:F2} s | {peak / 1e6:F0} MB ({(double)peak / size:F2}× the file) |");
                if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report)
                    File.AppendAllLines(report, [line]);
                Assert.True(peak < 3 * size / 2, $"loading {file} raised the peak resident memory by {peak:N0} bytes, {(double)peak / size:F2}× its size");
            }
        }
    }

    // Wall time of the load, and the rise of the resident-memory peak over the RSS before it.
    private static (double Seconds, long Peak) Measure(Func<Vgg19Network> load, out Vgg19Network network)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = ProcessStatus.Bytes("VmRSS");
        ProcessStatus.ResetPeak();
        var clock = Stopwatch.StartNew();
        network = load();
        double seconds = clock.Elapsed.TotalSeconds;
        return (seconds, ProcessStatus.Bytes("VmHWM") - before);
    }

    // Written once per machine (the three files are kept in the temp folder for later runs).
    private static string Fixture(string format)
    {
        Directory.CreateDirectory(Folder);
        string path = Path.Combine(Folder, Vgg19Fixture.FileName($"vgg19-full-{format}", format));
        if (File.Exists(path)) return path;
        var dict = Vgg19Fixture.CreateFullSizeStateDict();
        try
        {
            string partial = path + ".partial";
            using (var stream = File.Create(partial))
                Vgg19Fixture.Save(dict, format, stream);
            File.Move(partial, path);
            return path;
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }
    }
}
