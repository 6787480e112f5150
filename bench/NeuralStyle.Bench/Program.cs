using System.Globalization;
using NeuralStyle.Bench;

// NeuralStyle bench: our engine side by side with bench/reference.py (PyTorch) doing identical work.
//
//   NeuralStyle.Bench [--sizes 256,512,1024|none] [--octaves 1,4] [--tasks texture,transfer]
//                     [--steps WARMUP,TIMED] [--devices cpu[,cuda]] [--python /usr/bin/python3] [--root REPO]
//                     [--curve 256,512,1024,1536] [--curve-tile 256]   (memory vs pixels, whole-image and block-wise; --curve none skips it)
//                     [--jobs texture-512,texture-2048,transfer-1024] [--job-steps 100]   (whole default jobs; --jobs none skips them)
//
//   NeuralStyle.Bench memory-steps TASK SIZE STEPS EVERY single|schedule [TILE] [TABLE.md]   (TILE: -TileSize, 0 for the planner's choice)   (memory against steps, our engine alone;
//                     bench/Measure-MemoryCurve.ps1 builds and runs it)
//
// Internal commands (one configuration per process, so each peak memory is its own):
//   NeuralStyle.Bench engine CONFIG.json RESULT.json
//   NeuralStyle.Bench job CONFIG.json RESULT.json
//   NeuralStyle.Bench peak DEVICE THREADS RESULT.json
try
{
    return args switch
    {
        ["engine", var config, var result] => EngineRun.Run(config, result),
        ["job", var config, var result] => JobRun.Run(config, result),
        ["peak", var device, var threads, var result] => MatmulPeak.Run(device, int.Parse(threads, CultureInfo.InvariantCulture), result),
        ["memory-steps", var task, var size, var steps, var every, var stages, .. var rest] when rest.Length <= 2 =>
            MemorySteps(task, size, steps, every, stages, rest),
        _ => Orchestrator.Run(ParseOptions(args)),
    };
}
catch (Exception e) when (e is BenchFailedException or ArgumentException)
{
    Console.Error.WriteLine($"BENCH FAILED: {e.Message}");
    return 1;
}

static BenchOptions ParseOptions(string[] args)
{
    var values = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            throw new ArgumentException($"Unexpected argument '{args[i]}'. Usage: NeuralStyle.Bench [--sizes 256,512] [--octaves 1,4] " +
                "[--tasks texture,transfer] [--steps 2,8] [--devices cpu,cuda] [--python PATH] [--root REPO]");
        values[args[i][2..]] = args[i + 1];
    }
    int[] Ints(string key, string fallback) =>
        [.. (values.GetValueOrDefault(key) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
    string[]? List(string key) => values.TryGetValue(key, out var v) ? v.Split(',', StringSplitOptions.RemoveEmptyEntries) : null;

    var tasks = List("tasks") ?? ["texture", "transfer"];
    if (tasks.Except(["texture", "transfer"]).Any()) throw new ArgumentException("--tasks takes texture and/or transfer.");
    var devices = List("devices");
    if (devices is not null && devices.Except(["cpu", "cuda"]).Any()) throw new ArgumentException("--devices takes cpu and/or cuda.");
    var steps = values.ContainsKey("steps") ? Ints("steps", "") : null;
    if (steps is not null && (steps.Length != 2 || steps[0] < 0 || steps[1] < 1))
        throw new ArgumentException("--steps takes WARMUP,TIMED (e.g. 2,8), at least one timed step.");
    var sizes = values.GetValueOrDefault("sizes") == "none" ? [] : Ints("sizes", "256,512,1024");
    if (sizes.Any(s => s < 32)) throw new ArgumentException("--sizes: at least 32 px (the network's minimum side).");
    return new BenchOptions(
        values.GetValueOrDefault("root") ?? FindRoot(),
        sizes,
        Ints("octaves", "1,4"),
        tasks,
        values.GetValueOrDefault("python") ?? "/usr/bin/python3",
        steps is null ? null : (steps[0], steps[1]),
        devices,
        values.GetValueOrDefault("curve") == "none" ? [] : Ints("curve", "256,512,1024,1536"),
        Ints("curve-tile", "256")[0],
        Jobs(values.GetValueOrDefault("jobs") ?? "texture-512,texture-2048,transfer-1024"),
        Ints("job-steps", "100")[0]);

// --jobs texture-512,transfer-1024 (task-size), or none.
static IReadOnlyList<(string Task, int Size)> Jobs(string value) => value == "none" ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries)
    .Select(j => j.Split('-') is [var task and ("texture" or "transfer"), var size] && int.TryParse(size, CultureInfo.InvariantCulture, out var n) && n >= 32
        ? (task, n)
        : throw new ArgumentException($"--jobs: '{j}' is not texture-SIZE or transfer-SIZE (SIZE at least 32), e.g. texture-512,transfer-1024, or none."))];
}

// The repository root: the folder above this executable that holds NeuralStyle.slnx.
// The optional TILE comes before the optional TABLE.md: an integer there is the tile (0: the planner's choice).
static int MemorySteps(string task, string size, string steps, string every, string stages, string[] rest)
{
    int? tile = rest.Length > 0 && int.TryParse(rest[0], CultureInfo.InvariantCulture, out var t) ? t : null;
    var output = tile is null ? rest : rest[1..];
    if (output.Length > 1) throw new ArgumentException($"Unexpected argument '{output[1]}' after memory-steps' table path.");
    return MemoryCurve.Run(FindRoot(), task, int.Parse(size, CultureInfo.InvariantCulture), int.Parse(steps, CultureInfo.InvariantCulture),
        int.Parse(every, CultureInfo.InvariantCulture), stages == "schedule", output.FirstOrDefault(), tile > 0 ? tile : null);
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "NeuralStyle.slnx"))) return dir.FullName;
    }
    throw new ArgumentException("Cannot find the repository root (NeuralStyle.slnx) above the bench executable; pass --root.");
}
