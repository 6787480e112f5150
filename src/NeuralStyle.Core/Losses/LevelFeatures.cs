using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>One pyramid level of the generated image ([1,3,H,W] in [0,1]) and the activations read from it.</summary>
public sealed record LevelFeatures(Tensor Image, IReadOnlyDictionary<string, Tensor> Features)
{
    public Tensor this[string layer] => Features[layer];
}
