using System.Text.Json;

namespace NeuralStyle.Core.Runtime;

/// <summary>One package a runtime was made from, with the hash it was checked against.</summary>
public sealed record RuntimePackage(string Id, string Version, string Sha512);

/// <summary>
/// A runtime folder and its record (runtime.json, written last by the installer, so a folder without
/// it is not a runtime).
/// </summary>
public sealed record InstalledRuntime(
    RuntimeBackend Backend,
    string Rid,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Source,
    DateTimeOffset InstalledUtc,
    long SizeBytes,
    IReadOnlyList<RuntimePackage> Packages)
{
    public const string RecordFileName = "runtime.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The folder (not stored in the record: a runtime folder may be moved).</summary>
    public string Directory { get; init; } = "";

    public RuntimeScope Scope { get; init; }

    /// <summary>The ResNet-18 model this runtime brought (absent in a runtime installed before runtimes carried it).</summary>
    public string ModelPath => Path.Combine(Directory, RuntimeLocations.ModelFolder, RuntimeLocations.ModelFileName);

    /// <summary>True when the runtime has everything the installer puts in one today (the natives and the model).</summary>
    public bool IsComplete => File.Exists(ModelPath);

    /// <summary>The runtime in <paramref name="directory"/>, or null when there is none (or its record is unreadable).</summary>
    public static InstalledRuntime? TryRead(string directory, RuntimeScope scope)
    {
        var record = Path.Combine(directory, RecordFileName);
        try
        {
            if (!File.Exists(record))
            {
                return null;
            }
            var runtime = JsonSerializer.Deserialize<InstalledRuntime>(File.ReadAllText(record), Json);
            return runtime is null ? null : runtime with { Directory = directory, Scope = scope };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    internal void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, RecordFileName), JsonSerializer.Serialize(this with { Directory = "" }, Json));
}
