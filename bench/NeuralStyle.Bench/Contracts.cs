using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeuralStyle.Bench;

// The files the bench and bench/reference.py exchange. Names are camelCase in JSON (the reference
// reads and writes the same keys), so a change here needs the same change in reference.py.

/// <summary>One configuration, as both engines read it.</summary>
public sealed record BenchConfig(
    string Name,
    string Device,
    string Task,
    int Size,
    int Octaves,
    int Threads,
    int WarmupSteps,
    int TimedSteps,
    double LearningRate,
    int HistorySize,
    WeightsJson Weights,
    IReadOnlyList<LayerJson> StyleLayers,
    string ContentLayer,
    string Model,
    InputsJson Inputs,
    int TileSize = 0);

/// <param name="Colour">The colour term's weight; left out of the JSON when 0, so configurations without it (the quality
/// bench's plain method, whose cache key hashes its settings) read as they always did.</param>
public sealed record WeightsJson(double Content, double Style, double TotalVariation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] double Colour = 0);

public sealed record LayerJson(string Name, double Weight);

/// <summary>Raw float32 files (each with a PATH.json sidecar); no content for texture synthesis.</summary>
/// <param name="ColourDirections">The colour term's directions ([3,K]), the engine's own.</param>
/// <param name="ColourPixels">Per octave of the style's pyramid, the pixels ([3,P]) the engine samples for the colour term's quantiles.</param>
public sealed record InputsJson(string Style, string? Content, string Start, string ColourDirections, IReadOnlyList<string> ColourPixels);

/// <summary>The weighted loss terms of one evaluation.</summary>
public sealed record LossJson(double Content, double Style, double TotalVariation, double Total);

/// <summary>What one engine measured for one configuration, in its own process.</summary>
public sealed record EngineResult(
    string Engine,
    string Version,
    string Device,
    int Threads,
    LossJson Loss0,
    LossJson LossLast,
    double[] StepSeconds,
    double MedianStepSeconds,
    long RssBeforeStepsBytes,
    long SetupPeakRssBytes,
    long PeakRssBytes,
    long? ConvFlopsForwardPerStep = null,
    long? GpuPeakAllocatedBytes = null);

/// <summary>Best time of a few large square fp32 matmuls.</summary>
public sealed record PeakResult(string Engine, string Device, int N, double BestSeconds, double Gflops, int Threads);

public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Keep ·, ², ' readable in the rules written into latest.json (no HTML embeds these files).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"'{path}' holds no JSON value.");

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException("Expected a JSON value.");

    public static void Write<T>(string path, T value) => File.WriteAllText(path, JsonSerializer.Serialize(value, Options));
}
