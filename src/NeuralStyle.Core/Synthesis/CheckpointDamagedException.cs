namespace NeuralStyle.Core.Synthesis;

/// <summary>-Resume found the output's checkpoint, but its sidecar or pixel file is damaged, truncated or missing.</summary>
/// <param name="path">The checkpoint image: the name the user sees.</param>
public sealed class CheckpointDamagedException(string path, string reason, CheckpointFiles files)
    : Exception($"The checkpoint '{path}' cannot be resumed: {reason}. Nothing was deleted; remove " +
        $"{CheckpointMismatchException.Quoted(files)} or run without -Resume to start over.")
{
    public string Path { get; } = path;
}
