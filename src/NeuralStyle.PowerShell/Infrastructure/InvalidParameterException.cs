namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>A user's parameters that cannot work together, with the error id that names the failure (category InvalidArgument).</summary>
internal sealed class InvalidParameterException(string errorId, string message) : ArgumentException(message)
{
    public string ErrorId { get; } = errorId;

    /// <summary>The error id for a bad argument: this one's own, else the generic InvalidArgument (the engine's checks).</summary>
    public static string IdOf(ArgumentException e) => e is InvalidParameterException p ? p.ErrorId : "InvalidArgument";

    /// <summary>A user's bad argument, as opposed to an ArgumentException subclass that reports a bug.</summary>
    public static bool IsBadArgument(Exception e) => e is InvalidParameterException || e.GetType() == typeof(ArgumentException);
}
