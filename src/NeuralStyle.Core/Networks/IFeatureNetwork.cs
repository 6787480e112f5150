using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// A frozen, pretrained CNN used as a feature extractor for style and content losses.
/// </summary>
public interface IFeatureNetwork : IDisposable
{
    /// <summary>Short identifier of the network, e.g. "resnet18".</summary>
    string Name { get; }

    /// <summary>The layers whose activations can be requested, in forward order.</summary>
    IReadOnlyList<string> LayerNames { get; }

    /// <summary>The device the weights live on; inputs must be there too.</summary>
    Device Device { get; }

    /// <summary>
    /// Turns images as [N,3,H,W] float RGB in [0,1] into what the network was trained on.
    /// Differentiable, so it can sit inside an optimisation loop.
    /// </summary>
    Tensor Preprocess(Tensor rgb01);

    /// <summary>
    /// Runs the network on a preprocessed input only as far as the deepest requested layer and
    /// returns the requested activations by name. Intermediate tensors are released.
    /// </summary>
    /// <exception cref="ArgumentException">A requested layer is not in <see cref="LayerNames"/>.</exception>
    IReadOnlyDictionary<string, Tensor> Forward(Tensor input, IReadOnlyCollection<string> layers);

    /// <summary>Stride and reach of <paramref name="layer"/> in input pixels, for block-wise evaluation.</summary>
    /// <exception cref="ArgumentException">The layer is not in <see cref="LayerNames"/>.</exception>
    FieldOfView FieldOfView(string layer);

    /// <summary>The padding of every convolution and pool now (zeros unless set).</summary>
    NetworkPadding Padding { get; }

    /// <summary>
    /// Switches the padding of every convolution and pool (zeros or circular for tileable output).
    /// The engine never leaves it switched: it reads features through
    /// FeatureReader.Read, which takes the padding as an argument and restores it.
    /// </summary>
    void SetPadding(NetworkPadding mode);
}
