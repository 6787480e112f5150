using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Features;

/// <summary>
/// Reads the activations the losses need. Besides the network's own layers it offers "pixels": the
/// preprocessed image itself, whose Gram matrix is the colour mean and covariance — a cheap,
/// exact constraint on colour that deep features alone hold only loosely.
/// </summary>
public static class FeatureReader
{
    public const string Pixels = "pixels";

    /// <param name="padding">
    /// The network's border handling for this read only: the network's own setting is restored
    /// afterwards, so no caller depends on what another left behind.
    /// </param>
    public static IReadOnlyDictionary<string, Tensor> Read(IFeatureNetwork network, Tensor rgb01, IReadOnlyCollection<string> layers,
        NetworkPadding padding)
    {
        using var restore = new PaddingScope(network, padding);
        var input = network.Preprocess(rgb01);
        var networkLayers = layers.Where(l => l != Pixels).ToArray();
        var result = networkLayers.Length == 0
            ? new Dictionary<string, Tensor>()
            : new Dictionary<string, Tensor>(network.Forward(input, networkLayers));
        if (layers.Contains(Pixels)) result[Pixels] = input;
        return result;
    }

    /// <summary>Stride and reach of a layer, "pixels" included.</summary>
    public static FieldOfView View(IFeatureNetwork network, string layer) =>
        layer == Pixels ? FieldOfView.Identity : network.FieldOfView(layer);

    /// <summary>Sets a network's padding for one read and puts the previous one back, also when the read throws.</summary>
    private readonly struct PaddingScope : IDisposable
    {
        private readonly IFeatureNetwork network;
        private readonly NetworkPadding previous;

        public PaddingScope(IFeatureNetwork network, NetworkPadding padding)
        {
            this.network = network;
            previous = network.Padding;
            network.SetPadding(padding);
        }

        public void Dispose() => network.SetPadding(previous);
    }
}
