namespace NeuralStyle.Core.Networks;

/// <summary>
/// Where a layer's activations come from in the input: one step between neighbouring outputs is
/// <see cref="Stride"/> input pixels, and an output depends on input pixels at most
/// <see cref="Reach"/> pixels before its own position or after its stride cell. Block-wise
/// evaluation needs both: tiles start on multiples of the stride, and a halo of the reach makes a
/// tile's inner activations exactly the whole image's.
/// </summary>
public readonly record struct FieldOfView(int Stride, int Reach)
{
    /// <summary>The input itself.</summary>
    public static FieldOfView Identity { get; } = new(1, 0);

    /// <summary>The field of view after a chain of (kernel, stride, padding) window operations.</summary>
    public static FieldOfView Through(IEnumerable<(int Kernel, int Stride, int Padding)> operations)
    {
        // size: receptive field; before: how far it starts before the output's position × stride.
        int stride = 1, size = 1, before = 0;
        foreach (var (kernel, step, padding) in operations)
        {
            size += (kernel - 1) * stride;
            before += padding * stride;
            stride *= step;
        }
        var after = size - 1 - before;
        return new FieldOfView(stride, Math.Max(before, after));
    }
}
