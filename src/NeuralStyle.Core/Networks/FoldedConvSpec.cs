namespace NeuralStyle.Core.Networks;

/// <summary>
/// A convolution with its batch norm folded in: weight [out,in,k,k] and bias [out], square kernel,
/// the same stride on both axes and symmetric padding <see cref="Padding"/> on every side.
/// </summary>
internal sealed record FoldedConvSpec(float[] Weight, long[] WeightShape, float[] Bias, int Stride, int Padding)
{
    public long OutChannels => WeightShape[0];

    public long InChannels => WeightShape[1];

    public long KernelSize => WeightShape[2];
}
