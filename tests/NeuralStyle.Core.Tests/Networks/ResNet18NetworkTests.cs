using Google.Protobuf;
using NeuralStyle.Core.Networks;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

public sealed class ResNet18NetworkTests(ResNet18NetworkFixture fixture) : IClassFixture<ResNet18NetworkFixture>
{
    private static readonly string[] AllLayers = ["stem", "pool", "layer1", "layer2", "layer3", "layer4"];

    [Fact]
    public void LayerNamesAreInForwardOrder()
    {
        Assert.Equal("resnet18", fixture.Network.Name);
        Assert.Equal(AllLayers, fixture.Network.LayerNames);
    }

    [Fact]
    public void StoppingAtLayer2GivesTheSameLayer2AsTheFullForward()
    {
        var net = fixture.Network;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = net.Preprocess(NetworkTestImages.Smooth(64, 64, seed: 3));
        var full = net.Forward(input, AllLayers);
        var partial = net.Forward(input, ["layer2"]);

        Assert.Equal(["layer2"], partial.Keys);
        Assert.True(full["layer2"].eq(partial["layer2"]).all().item<bool>());
        Assert.Equal(new long[] { 1, 128, 8, 8 }, partial["layer2"].shape);
        Assert.Equal(new long[] { 1, 512, 2, 2 }, full["layer4"].shape);
    }

    [Fact]
    public void NoParameterRequiresGradButTheInputGetsAGradient()
    {
        var net = fixture.Network;
        var parameters = net.parameters().ToList();
        Assert.Equal(2 + 2 * (2 * 2 + 2 * 2 + 2 * 2 + 3 * 2) + 2 * 3, parameters.Count);
        Assert.All(parameters, p => Assert.False(p.requires_grad));

        using var scope = torch.NewDisposeScope();
        var image = NetworkTestImages.Smooth(64, 64, seed: 5).requires_grad_(true);
        var features = net.Forward(net.Preprocess(image), ["layer1", "layer3"]);
        features["layer1"].square().sum().add(features["layer3"].square().sum()).backward();
        Assert.NotNull(image.grad);
        Assert.True(image.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void UnknownLayerIsRejected()
    {
        using var scope = torch.NewDisposeScope();
        var input = torch.zeros(1, 3, 32, 32);
        var e = Assert.Throws<ArgumentException>(() => fixture.Network.Forward(input, ["relu4_2"]));
        Assert.Contains("relu4_2", e.Message);
    }

    /// <summary>
    /// With circular padding the network sees a torus: rolling the input by its total stride (32 px)
    /// rolls layer4 by exactly one cell. Zero padding breaks this at the borders.
    /// </summary>
    [Fact]
    public void CircularPaddingMakesTheNetworkShiftEquivariant()
    {
        var net = fixture.Network;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = net.Preprocess(NetworkTestImages.Smooth(64, 64, seed: 9));
        var rolled = input.roll([32, 32], [2, 3]);
        try
        {
            net.SetPadding(NetworkPadding.Circular);
            var a = net.Forward(input, ["layer4"])["layer4"].roll([1, 1], [2, 3]);
            var b = net.Forward(rolled, ["layer4"])["layer4"];
            Assert.True(a.sub(b).abs().max().item<float>() <= 1e-4 * b.abs().max().item<float>());

            net.SetPadding(NetworkPadding.Zeros);
            var c = net.Forward(input, ["layer4"])["layer4"].roll([1, 1], [2, 3]);
            var d = net.Forward(rolled, ["layer4"])["layer4"];
            Assert.True(c.sub(d).abs().max().item<float>() > 1e-2 * d.abs().max().item<float>());
        }
        finally
        {
            net.SetPadding(NetworkPadding.Zeros);
        }
    }

    /// <summary>
    /// Circular padding must mean "the image repeats": layer2 of a 64 px image with circular padding
    /// equals the centre of layer2 of the 3×3 tiling with ordinary padding (layer2's receptive field,
    /// 99 px, stays inside the tiling there, so zero borders do not reach it).
    /// </summary>
    [Fact]
    public void CircularPaddingEqualsTheCentreOfATiledImage()
    {
        var net = fixture.Network;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var input = net.Preprocess(NetworkTestImages.Smooth(64, 64, seed: 11));
        var tiled = input.repeat(1, 1, 3, 3);
        var expected = net.Forward(tiled, ["layer2"])["layer2"][.., .., 8..16, 8..16];
        try
        {
            net.SetPadding(NetworkPadding.Circular);
            var actual = net.Forward(input, ["layer2"])["layer2"];
            var relative = actual.sub(expected).abs().max().item<float>() / expected.abs().max().item<float>();
            Assert.True(relative <= 1e-5, $"relative difference {relative}");
        }
        finally
        {
            net.SetPadding(NetworkPadding.Zeros);
        }
    }

    [Fact]
    public void TheBundledModelIsNextToTheCoreAssembly()
    {
        Assert.True(File.Exists(ModelFiles.ResNet18Path));
        Assert.Equal("models", Path.GetFileName(Path.GetDirectoryName(ModelFiles.ResNet18Path)));
    }

    [Fact]
    public void MissingFileIsAFileNotFoundException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.onnx");
        Assert.Throws<FileNotFoundException>(() => ResNet18Network.Load(path, torch.CPU));
    }

    [Fact]
    public void AGraphOfAnotherShapeIsRejectedWithAClearMessage()
    {
        // A valid ONNX file whose graph is a lone ReLU.
        var model = new ModelProto { IrVersion = 3, Graph = new GraphProto { Name = "g" } };
        model.Graph.Input.Add(new ValueInfoProto { Name = "x" });
        model.Graph.Node.Add(new NodeProto { OpType = "Relu", Name = "r", Input = { "x" }, Output = { "y" } });
        var path = Path.Combine(Path.GetTempPath(), $"not-resnet-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        try
        {
            var e = Assert.Throws<ModelFormatException>(() => ResNet18Network.Load(path, torch.CPU));
            Assert.Contains("Conv", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
