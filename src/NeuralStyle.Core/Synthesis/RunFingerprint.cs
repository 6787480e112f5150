using System.Globalization;
using NeuralStyle.Core.Models;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Every setting that decides a synthesis' result, in words: the inputs by name, length and content hash,
/// the model by content hash, and the plan's sizes, stages, weights, layers, loss, optimiser, init and seed.
/// The plan's values are used, so defaults count as well. Left out, because they change how the work is done
/// but not what it computes: the device, thread count, tile size and checkpoint interval — a run may resume on
/// another machine.
/// </summary>
public static class RunFingerprint
{
    public const string SeedKey = "Seed";

    public static IReadOnlyDictionary<string, string> Of(SynthesisPlan plan, string modelIdentity)
    {
        var request = plan.Request;
        var settings = new Dictionary<string, string>
        {
            ["Kind"] = plan.IsTransfer ? "style transfer" : "texture",
            ["Model"] = modelIdentity,
        };
        var role = plan.IsTransfer ? "Style" : "Source";
        for (var i = 0; i < request.Styles.Count; i++)
            settings[$"{role} {i + 1}"] = $"{FileIdentity(request.Styles[i].Path)}, weight {Number(request.Styles[i].Weight)}";
        if (request.Content is { } content)
        {
            settings["Content"] = FileIdentity(content.Path);
            settings["Preserve colour"] = content.PreserveColor.ToString();
            settings["Style size"] = plan.StyleLongSide?.ToString(CultureInfo.InvariantCulture) ?? "";
        }
        else settings["Source scale"] = Number(request.SourceScale);
        if (request.InitImagePath is not null) settings["Init image"] = FileIdentity(request.InitImagePath);
        settings["Size"] = $"{plan.Width}×{plan.Height}";
        settings["Octaves"] = plan.Octaves.ToString(CultureInfo.InvariantCulture);
        settings["Stages"] = string.Join(", ", plan.Stages.Select(s => $"{s.Stage.Width}×{s.Stage.Height}"));
        settings["Iterations per stage"] = request.StepsPerStage.ToString(CultureInfo.InvariantCulture);
        settings["Style loss"] = request.StyleLoss.ToString();
        settings["Style layers"] = string.Join(", ", plan.StyleLayers.Select(l => $"{l.Name} {Number(l.Weight)}"));
        if (plan.IsTransfer) settings["Content layer"] = plan.ContentLayer;
        settings["Weights"] = $"content {Number(plan.Weights.Content)}, style {Number(plan.Weights.Style)}, TV {Number(plan.Weights.TotalVariation)}, colour {Number(plan.Weights.Colour)}";
        settings["Optimizer"] = $"{request.Optimizer}, learning rate {(request.LearningRate is double rate ? Number(rate) : "default")}";
        settings["Border"] = $"{plan.Border}, padding {plan.Padding}";
        settings["Init"] = request.Init.ToString();
        settings[SeedKey] = request.Seed.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>What differs between a recorded fingerprint and the current one, in words; empty when they match.</summary>
    /// <param name="ignore">Keys not compared (the seed a resumed run takes from its checkpoint).</param>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> recorded, IReadOnlyDictionary<string, string> current,
        params string[] ignore) =>
        [.. recorded.Keys.Union(current.Keys).Where(key => !ignore.Contains(key))
            .Where(key => recorded.GetValueOrDefault(key) != current.GetValueOrDefault(key))
            .Select(key => $"{key} was {recorded.GetValueOrDefault(key) ?? "not set"}, now {current.GetValueOrDefault(key) ?? "not set"}")];

    /// <summary>A file by name and content, not by folder or time: a copied or touched file is the same input, an edited one is not.</summary>
    public static string FileIdentity(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Name} ({info.Length} bytes, SHA-256 {Sha256File.Compute(info.FullName)})" : $"{info.Name} (missing)";
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
