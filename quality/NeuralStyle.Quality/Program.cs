using NeuralStyle.Quality;

// The quality bench's measuring half (quality/Invoke-QualityBench.ps1 runs the methods):
//
//   NeuralStyle.Quality prepare-texture  --source PATH --short-side 256 --size 256 --dir DIR --evaluations 150 --seed 1 --cache DIR
//   NeuralStyle.Quality prepare-transfer --content PATH --style PATH --max-size 320 --dir DIR --evaluations 150 --seed 1 --cache DIR
//       the inputs every method reads (PNG for the cmdlets, raw float32 for quality/plain.py) and plain.json
//   NeuralStyle.Quality report --manifest runs.json --results DIR
//       every metric of every output, the floors, latest.md + latest.json and a contact sheet per task
try
{
    if (args.Length == 0) throw new ArgumentException("Expected a command: prepare-texture, prepare-transfer or report.");
    var options = CommandLine.Parse(args[1..]);
    switch (args[0])
    {
        case "prepare-texture": QualityInputs.PrepareTexture(options); break;
        case "prepare-transfer": QualityInputs.PrepareTransfer(options); break;
        case "report": QualityReport.Write(options.Path("manifest"), options.Path("results")); break;
        default: throw new ArgumentException($"Unknown command '{args[0]}'.");
    }
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"QUALITY FAILED: {e.Message}");
    return 1;
}
