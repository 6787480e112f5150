namespace NeuralStyle.Core.Synthesis;

/// <summary>What an input image is for; named in every message about it.</summary>
public enum ImageRole
{
    Content,
    Style,
    Source,
    Init,
}
