using NeuralStyle.Core.Synthesis;

namespace NeuralStyle.PowerShell.Results;

/// <summary>A texture New-NeuralTexture made, and from which sources.</summary>
public sealed record NeuralTextureInfo : SynthesisInfo
{
    internal NeuralTextureInfo(string path, SynthesisPlan plan, SynthesisResult result, TimeSpan elapsed, string[] sources) : base(path, plan, result, elapsed)
    {
        Tileable = plan.Request.Tileable;
        Sources = sources;
    }

    public bool Tileable { get; }
    public string[] Sources { get; }
}
