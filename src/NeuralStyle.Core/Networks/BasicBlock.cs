using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>ResNet basic block with folded batch norms: relu(conv2(relu(conv1 x)) + shortcut x).</summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly FoldedConv2d conv1;
    private readonly FoldedConv2d conv2;
    private readonly FoldedConv2d? downsample;

    public BasicBlock(string name, BasicBlockSpec spec, Device device)
        : base(name)
    {
        conv1 = new FoldedConv2d(nameof(conv1), spec.Conv1, device);
        conv2 = new FoldedConv2d(nameof(conv2), spec.Conv2, device);
        downsample = spec.Projection is null ? null : new FoldedConv2d(nameof(downsample), spec.Projection, device);
        RegisterComponents();
    }

    public IEnumerable<FoldedConv2d> Convolutions => downsample is null ? [conv1, conv2] : [conv1, conv2, downsample];

    // In place where autograd allows it: a conv's backward needs its input, not its output, so the
    // conv outputs can take the ReLU and the residual sum without extra buffers.
    public override Tensor forward(Tensor input)
    {
        using var a1 = conv1.forward(input).relu_();
        var h2 = conv2.forward(a1);
        if (downsample is null)
        {
            return h2.add_(input).relu_();
        }
        using var shortcut = downsample.forward(input);
        return h2.add_(shortcut).relu_();
    }
}
