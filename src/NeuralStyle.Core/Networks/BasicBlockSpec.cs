namespace NeuralStyle.Core.Networks;

/// <summary>
/// A ResNet basic block: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut x), where the shortcut is
/// the identity or, where the shape changes, a strided 1×1 projection conv + BN.
/// </summary>
internal sealed record BasicBlockSpec(FoldedConvSpec Conv1, FoldedConvSpec Conv2, FoldedConvSpec? Projection);
