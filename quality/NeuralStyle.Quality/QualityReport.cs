using System.Globalization;
using System.Text;
using NeuralStyle.Bench;
using NeuralStyle.Core.Imaging;
using NeuralStyle.Core.Quality;
using static TorchSharp.torch;

namespace NeuralStyle.Quality;

/// <summary>One line of the table: a method's output (or a source's floor) and its metrics; Output relative to the results folder.</summary>
public sealed record QualityRow(
    string Task, string Kind, string Method, double Color, double Spectrum, IReadOnlyList<double> Patch, double PatchMean,
    double? EdgeCorrelation, double? Seconds, int? Steps, int? Octaves, bool Cached, string? Output);

/// <summary>Measures every output of a run (runs.json) and writes latest.json, latest.md and a contact sheet per task.</summary>
public static class QualityReport
{
    public const string FloorMethod = "floor";

    public static void Write(string manifestPath, string resultsDirectory)
    {
        var manifest = Json.Read<QualityManifest>(manifestPath);
        Directory.CreateDirectory(resultsDirectory);
        var rows = new List<QualityRow>();
        foreach (var task in manifest.Tasks)
        {
            Console.WriteLine($"  measuring {task.Name}");
            rows.AddRange(Measure(task).Select(r => r with { Output = r.Output is null ? null : Path.GetRelativePath(resultsDirectory, r.Output) }));
            var outputs = task.Runs.Select(r => r.Path).ToList();
            using (var first = ImageCodec.Read(outputs[0]))
                ContactSheet.Write([.. task.Inputs, .. outputs], first.Height, Path.Combine(resultsDirectory, task.Name + ".png"));
        }
        Json.Write(Path.Combine(resultsDirectory, "latest.json"), new
        {
            Schema = 1,
            Date = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            Machine = new { Cores = Environment.ProcessorCount, Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
            manifest.Settings,
            Metrics = Definitions,
            Rows = rows,
        });
        File.WriteAllText(Path.Combine(resultsDirectory, "latest.md"), Markdown(manifest, rows));
        Console.WriteLine($"Quality results: {Path.Combine(resultsDirectory, "latest.md")}");
    }

    private static List<QualityRow> Measure(QualityTask task)
    {
        using var scope = NewDisposeScope();
        using var reference = ImageCodec.Read(task.Reference);
        using var content = task.Content is null ? null : ImageCodec.Read(task.Content);
        var rows = new List<QualityRow>();
        if (task.Kind == "texture")
            rows.Add(Row(task, FloorMethod, QualityMeter.Floor(reference.Rgb), null));
        foreach (var run in task.Runs)
        {
            using var output = ImageCodec.Read(run.Path);
            rows.Add(Row(task, run.Method, QualityMeter.Measure(output.Rgb, reference.Rgb, content?.Rgb), run));
        }
        return rows;
    }

    private static QualityRow Row(QualityTask task, string method, QualityScores s, QualityRun? run) =>
        new(task.Name, task.Kind, method, s.Color, s.Spectrum, s.Patch, s.PatchMean, s.EdgeCorrelation,
            run?.Seconds, run?.Steps, run?.Octaves, run?.Cached ?? false, run?.Path);

    private static readonly string[] Definitions =
    [
        "colour: sliced Wasserstein-1 between the RGB pixel distributions (RGB in [0,1]; 64 seeded directions, 512 quantiles)",
        "spectrum: RMS difference in decades of the radially averaged luminance power spectra (mean removed, Hann window, 24 log bands from 2/min(H,W) to 0.5 cycles/px)",
        "patch L0..L3: sliced Wasserstein-1 of the 7×7×3 patches of each level of a 4-level Burt–Adelson Laplacian pyramid (L0 finest), each set normalised per channel, 128 directions × 4 repeats, 512 quantiles; mean = their mean",
        "edges: Pearson correlation of the Sobel gradient magnitudes of output and content luminance after 3 pyramid reductions (transfers; higher keeps more content)",
        "floor: the metrics between two disjoint halves of the source (split across its longer side)",
    ];

    private static string Markdown(QualityManifest manifest, IReadOnlyList<QualityRow> rows)
    {
        var s = manifest.Settings;
        var md = new StringBuilder();
        md.AppendLine("# Quality: our engine against the plain method").AppendLine();
        md.AppendLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores{(s.Commit is null ? "" : $", commit {s.Commit}")}." +
            (s.Subset ? " **A subset or a quick check, not the full bench.**" : "")).AppendLine();
        md.AppendLine($"* Textures: {s.TextureSize}×{s.TextureSize} from the source scaled to {s.TextureShortSide} px on its short side " +
            "(every method sees the same pixels at the same scale); distances to that scaled source.");
        md.AppendLine($"* Transfers: `-MaxSize {s.TransferMaxSize}`, the style scaled to the output's long side (`-StyleScale 1`); distances to that style, edges against the content.");
        md.AppendLine($"* **ours**: the cmdlets at their defaults{(s.Iterations is null ? "" : $" but `-Iterations {s.Iterations}`")} with `-Model ResNet18 -Seed {s.Seed}`; " +
            "**ours-1-octave**: the same with `-Octaves 1`.");
        md.AppendLine($"* **plain**: quality/plain.py, Snelgrove/Gatys in PyTorch: Gram loss over up to 4 octaves, no TV, " +
            $"`torch.optim.LBFGS(line_search_fn=\"strong_wolfe\")` for {s.Evaluations} evaluations at the output size, from noise / the content (cached: wall time of the run that made it).");
        md.AppendLine("* **floor**: the metrics between two halves of the source: what another piece of the same material scores.");
        md.AppendLine("* Lower is closer for every distance; wall seconds include loading the network.").AppendLine();
        foreach (var d in Definitions) md.AppendLine($"* {d}");
        md.AppendLine();

        Table(md, "Textures", "texture", rows.Where(r => r.Kind == "texture").ToList(), edges: false);
        Table(md, "Transfers", "content × style", rows.Where(r => r.Kind == "transfer").ToList(), edges: true);
        md.AppendLine("## Ours ÷ plain").AppendLine();
        md.AppendLine("Below 1: ours is closer (for edges: above 1 keeps more content).").AppendLine();
        md.AppendLine("| task | colour | spectrum | patch mean | edges | wall |");
        md.AppendLine("|---|--:|--:|--:|--:|--:|");
        foreach (var task in rows.Select(r => r.Task).Distinct())
        {
            var ours = rows.FirstOrDefault(r => r.Task == task && r.Method == "ours");
            var plain = rows.FirstOrDefault(r => r.Task == task && r.Method == "plain");
            if (ours is null || plain is null) continue;
            var edges = ours.EdgeCorrelation is { } e && plain.EdgeCorrelation is { } p ? F(e / p, 2) : "";
            md.AppendLine($"| {task} | {F(ours.Color / plain.Color, 2)} | {F(ours.Spectrum / plain.Spectrum, 2)} | {F(ours.PatchMean / plain.PatchMean, 2)} | {edges} | {F(ours.Seconds!.Value / plain.Seconds!.Value, 2)} |");
        }
        md.AppendLine();
        md.AppendLine("## Contact sheets").AppendLine();
        md.AppendLine("Left to right: the source (textures) or the content and the style (transfers), then plain, ours, ours-1-octave.").AppendLine();
        foreach (var task in rows.Select(r => r.Task).Distinct())
            md.AppendLine($"![{task}]({task}.png)").AppendLine();
        return md.ToString();
    }

    private static void Table(StringBuilder md, string title, string what, IReadOnlyList<QualityRow> rows, bool edges)
    {
        if (rows.Count == 0) return;
        md.AppendLine($"## {title}").AppendLine();
        md.AppendLine($"| {what} | method |{(edges ? " edges |" : "")} colour | spectrum | patch L0 | L1 | L2 | L3 | patch mean | wall s | steps | octaves |");
        md.AppendLine($"|---|---|{(edges ? "--:|" : "")}--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in rows)
            md.AppendLine($"| {r.Task} | {r.Method} |{(edges ? $" {F(r.EdgeCorrelation!.Value, 3)} |" : "")} {F(r.Color, 4)} | {F(r.Spectrum, 3)} | " +
                $"{string.Join(" | ", r.Patch.Select(p => F(p, 4)))} | {F(r.PatchMean, 4)} | {Wall(r)} | {r.Steps?.ToString(CultureInfo.InvariantCulture)} | {r.Octaves?.ToString(CultureInfo.InvariantCulture)} |");
        md.AppendLine();
    }

    private static string Wall(QualityRow r) => r.Seconds is { } t ? F(t, 1) + (r.Cached ? " (cached)" : "") : "";

    private static string F(double value, int decimals) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);
}
