using NeuralStyle.Core.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Synthesis;

public class InitialImageTests
{
    /// <summary>
    /// The start leaves only itself in the caller's scope: the noise and its scaled and shifted copies,
    /// left there, are image-sized and lived as long as the whole run (at 4096², 600 MB of a single-scale run).
    /// </summary>
    [Theory]
    [InlineData(InitKind.Noise)]
    [InlineData(InitKind.Mean)]
    public void A_start_leaves_nothing_else_in_the_callers_scope(InitKind init)
    {
        using var scope = NewDisposeScope();
        var mean = tensor(new[] { 0.2f, 0.4f, 0.6f });
        var request = new SynthesisRequest { Styles = [new WeightedSource("unused.png")], Width = 32, Height = 24, Init = init };
        var stage = new SynthesisStage(0, 32, 24, 0, 1);
        var before = scope.DisposablesCount;

        var start = InitialImage.For(request, stage, mean, null, new Generator(3), CPU);

        Assert.Equal(before + 1, scope.DisposablesCount);
        Assert.Equal(new long[] { 1, 3, 24, 32 }, start.shape);
    }
}
