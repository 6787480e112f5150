using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Results;

/// <summary>One styled image New-StyleTransfer wrote, from which content and styles.</summary>
public sealed record StyleTransferInfo : SynthesisInfo
{
    internal StyleTransferInfo(string path, SynthesisPlan plan, SynthesisResult result, TimeSpan elapsed) : base(path, plan, result, elapsed)
    {
        Content = plan.Request.Content!.Path;
        Styles = [.. plan.Request.Styles.Select(s => s.Path)];
        PreserveColor = plan.Request.Content.PreserveColor.ToString();
    }

    public string Content { get; }
    public string[] Styles { get; }
    public string PreserveColor { get; }
}
