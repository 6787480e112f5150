namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// A user's parameters that cannot work together (checked by the cmdlet, not the engine), with the error id that
/// names the failure and the value the user gave as the target; <see cref="ErrorRecords.From"/> makes the record.
/// </summary>
internal sealed class InvalidParameterException(string errorId, string message, object? target = null) : ArgumentException(message)
{
    public string ErrorId { get; } = errorId;

    /// <summary>The parameter value the failure is about; null when it is about a parameter left out.</summary>
    public object? Target { get; } = target;
}
