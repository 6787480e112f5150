namespace NeuralStyle.Core.Networks;

/// <summary>The weights and shape of a ResNet feature extractor as read from a model file.</summary>
internal sealed record ResNetSpec(
    FoldedConvSpec Stem,
    int PoolKernel,
    int PoolStride,
    int PoolPadding,
    IReadOnlyList<IReadOnlyList<BasicBlockSpec>> Stages);
