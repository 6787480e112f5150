using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>
/// Reads the activations the losses need. Besides the network's own layers it offers "pixels": the
/// preprocessed image itself, whose Gram matrix is the colour mean and covariance — a cheap,
/// exact constraint on colour that deep features alone hold only loosely.
/// </summary>
public static class FeatureReader
{
    public const string Pixels = "pixels";

    public static IReadOnlyDictionary<string, Tensor> Read(IFeatureNetwork network, Tensor rgb01, IReadOnlyCollection<string> layers)
    {
        var input = network.Preprocess(rgb01);
        var networkLayers = layers.Where(l => l != Pixels).ToArray();
        var result = networkLayers.Length == 0
            ? new Dictionary<string, Tensor>()
            : new Dictionary<string, Tensor>(network.Forward(input, networkLayers));
        if (layers.Contains(Pixels)) result[Pixels] = input;
        return result;
    }
}
