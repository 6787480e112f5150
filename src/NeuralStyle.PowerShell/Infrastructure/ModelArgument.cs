using System.Management.Automation;
using NeuralStyle.Core.Models;

namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// -Model as the engine takes it: a name ("auto", "vgg19") stays a name; a weights file path is made absolute
/// against PowerShell's current location ($PWD), which Set-Location moves but the process directory does not follow.
/// </summary>
internal static class ModelArgument
{
    public static string Resolve(PSCmdlet cmdlet, string model) =>
        ModelResolver.ArchitectureOfFile(model) is null ? model : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(model);
}
