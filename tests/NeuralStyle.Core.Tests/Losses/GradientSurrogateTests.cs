using NeuralStyle.Core.Compute;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Losses;

[Collection(ProcessMemoryCollection.Name)]
public sealed class GradientSurrogateTests(ITestOutputHelper output)
{
    [Fact]
    public void Back_propagating_the_surrogate_sends_the_given_gradient()
    {
        using var scope = NewDisposeScope();
        var leaf = rand([1, 3, 5, 7], dtype: ScalarType.Float64, generator: new Generator(1)).requires_grad_(true);
        var gradient = rand([1, 3, 5, 7], dtype: ScalarType.Float64, generator: new Generator(2));
        var expected = gradient.mul(2);
        GradientSurrogate.Taking(leaf.mul(2), gradient).backward();
        Assert.Equal(0, leaf.grad!.sub(expected).abs().max().ToDouble());
    }

    /// <summary>
    /// The gradient g reaches the tensor's graph once: the dot's backward hands the tensor a copy of g, and g itself is
    /// freed by then. A flat view of g kept it until the caller's scope ended, two gradients of the tensor's size at
    /// once (0.41 GB more at a 4096² tile's peak). The probe reads glibc's heap the moment the gradient arrives.
    /// </summary>
    [SkippableFact]
    public void The_gradient_is_held_once_when_it_reaches_the_graph()
    {
        Skip.IfNot(OperatingSystem.IsLinux() && NativeHeap.InUse > 0, "the live heap is read from glibc's statistics");
        using var scope = NewDisposeScope();
        var map = HeapProbe.apply(zeros([1, 8, 1024, 1024]).requires_grad_(true));
        var mapBytes = map.NumberOfElements * sizeof(float);

        var before = NativeHeap.InUse;
        var gradient = ones_like(map);
        GradientSurrogate.Taking(map, gradient).backward();
        var held = HeapProbe.InUseAtBackward - before;

        output.WriteLine($"live heap when the gradient arrived: {held >> 20} MiB more than before g was made; g is {mapBytes >> 20} MiB");
        Assert.True(held > mapBytes / 2, "the probe did not see the gradient");
        Assert.True(held < mapBytes * 3 / 2, "the gradient was held twice when it reached the graph");
    }

    /// <summary>An identity whose backward pass records the live heap (one instance per type, so the record is static).</summary>
    private sealed class HeapProbe : autograd.SingleTensorFunction<HeapProbe>
    {
        public static long InUseAtBackward { get; private set; }

        public override string Name => nameof(HeapProbe);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
        {
            InUseAtBackward = NativeHeap.InUse;
            return [gradOutput];
        }
    }
}
