using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// A frozen 3×3 convolution, stride 1, padding 1. The padding is an explicit pad before a
/// padding-free conv so it can be switched to circular (seamless textures).
/// </summary>
internal sealed class VggConvolution : nn.Module<Tensor, Tensor>
{
    private static readonly long[] Pads = [1, 1, 1, 1];

    // Field names become the parameter names ("weight", "bias") through RegisterComponents.
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Takes copies of <paramref name="weightValues"/> [out,in,3,3] and <paramref name="biasValues"/> [out] on <paramref name="device"/>.</summary>
    public VggConvolution(string name, Tensor weightValues, Tensor biasValues, Device device)
        : base(name)
    {
        weight = new Parameter(weightValues.to(ScalarType.Float32, device, copy: true).contiguous(), requires_grad: false);
        bias = new Parameter(biasValues.to(ScalarType.Float32, device, copy: true).contiguous(), requires_grad: false);
        RegisterComponents();
    }

    public long InChannels => weight.shape[1];

    public long OutChannels => weight.shape[0];

    public NetworkPadding Padding { get; set; } = NetworkPadding.Zeros;

    public override Tensor forward(Tensor input)
    {
        var mode = Padding switch
        {
            NetworkPadding.Circular => PaddingModes.Circular,
            NetworkPadding.Reflect => PaddingModes.Reflect,
            _ => PaddingModes.Constant,
        };
        using var padded = nn.functional.pad(input, Pads, mode, 0.0);
        return nn.functional.conv2d(padded, weight, bias);
    }
}
