namespace NeuralStyle.Core.Synthesis;

/// <summary>-Resume found the output's checkpoint, but it was written by a run with other settings or inputs.</summary>
/// <param name="path">The checkpoint image: the name the user sees.</param>
/// <param name="differences">What differs, one entry per setting ("Seed was 3, now 5").</param>
public sealed class CheckpointMismatchException(string path, IReadOnlyList<string> differences, CheckpointFiles files)
    : Exception($"The checkpoint '{path}' was written by a run with other settings: {string.Join("; ", differences)}. " +
        "Run the command with the settings it was made with to resume it, or without -Resume to start over " +
        $"(the new run's checkpoint takes a free name). Nothing was deleted; remove {Quoted(files)} when you no longer need it.")
{
    public string Path { get; } = path;
    public IReadOnlyList<string> Differences { get; } = differences;

    internal static string Quoted(CheckpointFiles files) => string.Join(", ", files.All.Select(f => $"'{System.IO.Path.GetFileName(f)}'"));
}
