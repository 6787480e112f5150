using System.Globalization;

namespace NeuralStyle.Quality;

/// <summary>--name value pairs; every option is required unless read with a default.</summary>
public sealed class CommandLine(IReadOnlyDictionary<string, string> values)
{
    public static CommandLine Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"Expected '--name value' pairs, got '{string.Join(" ", args)}'.");
            values[args[i][2..]] = args[i + 1];
        }
        return new CommandLine(values);
    }

    public string Text(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"Missing --{name}.");

    public string Path(string name) => System.IO.Path.GetFullPath(Text(name));

    public int Integer(string name) => int.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
        ? v : throw new ArgumentException($"--{name} must be a positive integer, got '{Text(name)}'.");
}
