namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>Where each cmdlet's help page is online (Get-Help -Online): docs/help/&lt;Cmdlet&gt;.md in the repository.</summary>
internal static class OnlineHelp
{
    public const string Base = "https://github.com/neuralstyle/NeuralStyle/blob/main/docs/help/";
}
