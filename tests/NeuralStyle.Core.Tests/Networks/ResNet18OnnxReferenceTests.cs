using Microsoft.ML.OnnxRuntime;
using NeuralStyle.Core.Networks;
using Onnx;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>Our TorchSharp ResNet-18 against ONNX Runtime running the original graph.</summary>
public sealed class ResNet18OnnxReferenceTests(ResNet18NetworkFixture fixture, ITestOutputHelper output)
    : IClassFixture<ResNet18NetworkFixture>
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("photo", 128, 96)]
    [InlineData("smooth", 64, 64)]
    public void EveryStageMatchesOnnxRuntime(string kind, int width, int height)
    {
        var net = fixture.Network;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var image = kind == "photo" ? NetworkTestImages.Photo(width, height) : NetworkTestImages.Smooth(width, height, seed: 7);
        var input = net.Preprocess(image).contiguous();
        var ours = net.Forward(input, net.LayerNames.ToList());
        output.WriteLine($"input: {(kind == "photo" ? NetworkTestImages.PhotoPath ?? "generated (photo not found)" : "generated")}");

        using var reference = new OnnxStageReference(ModelFiles.ResNet18Path);
        var theirs = reference.Run(input.data<float>().ToArray(), input.shape);

        foreach (var layer in net.LayerNames)
        {
            var (data, shape) = theirs[layer];
            Assert.Equal(shape, ours[layer].shape);
            var expected = torch.tensor(data, shape);
            var maxAbs = expected.abs().max().item<float>();
            var maxDiff = ours[layer].sub(expected).abs().max().item<float>();
            var relative = maxDiff / maxAbs;
            output.WriteLine($"{kind} {width}x{height} {layer,-6} [{string.Join(",", shape)}] max|ref|={maxAbs:G4} max|diff|={maxDiff:G3} relative={relative:G3}");
            Assert.True(maxAbs > 0, $"{layer}: reference activations are all zero");
            Assert.True(relative <= Tolerance, $"{layer}: relative error {relative:G3} > {Tolerance}");
        }
    }

    /// <summary>
    /// ResNetPreprocess.onnx subtracts a 224×224 mean image; we subtract its per-channel means. So
    /// ours must equal the graph's output plus (mean image − its channel means), exactly up to rounding.
    /// </summary>
    [Fact]
    public void PreprocessMatchesTheOriginalPreprocessingGraph()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testmodels", "ResNetPreprocess.onnx");
        ModelProto model;
        using (var stream = File.OpenRead(path))
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        var sub = model.Graph.Node.Single(n => n.OpType == "Sub");
        var meanImage = model.Graph.Initializer.Single(t => t.Name == sub.Input[1]);
        Assert.Equal(new long[] { 1, 3, 224, 224 }, meanImage.Dims.ToArray());

        using var scope = torch.NewDisposeScope();
        var image = NetworkTestImages.Photo(224, 224);
        var pixels255 = image.mul(255f).contiguous();
        float[] graphOut;
        using (var session = new InferenceSession(path))
        using (var value = OrtValue.CreateTensorValueFromMemory(pixels255.data<float>().ToArray(), pixels255.shape))
        using (var options = new RunOptions())
        using (var outputs = session.Run(options, [session.InputNames[0]], [value], [session.OutputNames[0]]))
        {
            graphOut = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        var mean = torch.tensor(meanImage.FloatData.ToArray(), [1, 3, 224, 224]);
        var expected = torch.tensor(graphOut, [1, 3, 224, 224]).add(mean).sub(mean.mean([2, 3], keepdim: true));

        var ours = fixture.Network.Preprocess(image);
        var maxDiff = ours.sub(expected).abs().max().item<float>();
        output.WriteLine($"preprocess max|diff| = {maxDiff:G3} (values up to ~150)");
        Assert.True(maxDiff < 1e-3, $"preprocessing differs by {maxDiff}");
    }
}
