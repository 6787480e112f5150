using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Networks;

public sealed class Vgg19NetworkTests
{
    private static readonly string[] ReluFirst = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"];

    [Fact]
    public void Layer_names_follow_Gatys_in_forward_order()
    {
        using var net = LoadFixture();
        Assert.Equal(37, net.LayerNames.Count);
        Assert.Equal(["conv1_1", "relu1_1", "conv1_2", "relu1_2", "pool1", "conv2_1"], net.LayerNames.Take(6));
        Assert.Equal(["conv5_4", "relu5_4", "pool5"], net.LayerNames.TakeLast(3));
        Assert.Contains("relu4_2", net.LayerNames);
        Assert.Contains("conv3_4", net.LayerNames);
        Assert.Equal([0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34], Vgg19Network.FeatureIndices);
    }

    [Fact]
    public void Loads_pth_and_safetensors_and_takes_channels_from_the_shapes()
    {
        using var dir = new TempDirectory();
        var pth = dir.File("fixture.pth");
        var safetensors = dir.File("fixture.safetensors");
        File.WriteAllBytes(pth, Vgg19Fixture.CreatePthBytes());
        File.WriteAllBytes(safetensors, Vgg19Fixture.CreateSafetensorsBytes());
        Assert.InRange(new FileInfo(pth).Length, 1_000, 200_000);

        using var fromPth = Vgg19Network.Load(pth, torch.CPU);
        using var fromSafetensors = Vgg19Network.Load(safetensors, torch.CPU);
        Assert.Equal(Vgg19Fixture.Channels, fromPth.ConvolutionChannels);
        Assert.Equal(Vgg19Fixture.Channels, fromSafetensors.ConvolutionChannels);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = fromPth.Preprocess(Image(32));
        var a = fromPth.Forward(x, ["relu3_1"])["relu3_1"];
        var b = fromSafetensors.Forward(x, ["relu3_1"])["relu3_1"];
        Assert.True(a.allclose(b, rtol: 0, atol: 0), "both files hold the same weights");
    }

    [Fact]
    public void Loads_the_legacy_torch_save_format_of_torchvisions_2017_files()
    {
        using var dir = new TempDirectory();
        var path = dir.File("legacy.pth");
        var dict = Vgg19Fixture.CreateStateDict();
        try
        {
            File.WriteAllBytes(path, LegacyTorchFileWriter.Write(dict));
            var read = StateDictFile.Read(path);
            try
            {
                Assert.Equal(dict.Keys.Order(), read.Keys.Order());
                foreach (var (key, expected) in dict)
                {
                    Assert.Equal(expected.shape, read[key].shape);
                    Assert.True(expected.allclose(read[key], rtol: 0, atol: 0), key);
                }
            }
            finally
            {
                Vgg19Fixture.Dispose(read);
            }
            using var net = Vgg19Network.Load(path, torch.CPU);
            Assert.Equal(Vgg19Fixture.Channels, net.ConvolutionChannels);

            // PyBridge's zip reader still works after ours has wrapped the shared pickle constructors.
            var zip = dir.File("zip.pth");
            File.WriteAllBytes(zip, Vgg19Fixture.CreatePthBytes());
            using var fromZip = Vgg19Network.Load(zip, torch.CPU);
            Assert.Equal(Vgg19Fixture.Channels, fromZip.ConvolutionChannels);
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }
    }

    [Fact]
    public void Output_shapes_at_32_px()
    {
        using var net = LoadFixture();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var features = net.Forward(net.Preprocess(Image(32)), ReluFirst);
        long[][] expected = [[1, 4, 32, 32], [1, 8, 16, 16], [1, 16, 8, 8], [1, 16, 4, 4], [1, 16, 2, 2]];
        for (var i = 0; i < ReluFirst.Length; i++)
        {
            Assert.Equal(expected[i], features[ReluFirst[i]].shape);
        }
        Assert.Equal([1, 16, 1, 1], net.Forward(net.Preprocess(Image(32)), ["pool5"])["pool5"].shape);
    }

    [Fact]
    public void Forward_up_to_a_layer_equals_that_layer_of_a_full_forward()
    {
        using var net = LoadFixture();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = net.Preprocess(Image(32));
        var shallow = net.Forward(x, ["relu2_1"]);
        var full = net.Forward(x, ["relu2_1", "conv2_1", "pool5"]);
        Assert.Single(shallow);
        Assert.True(shallow["relu2_1"].allclose(full["relu2_1"], rtol: 0, atol: 0));
        // The conv output asked for alongside its ReLU is not clobbered by the in-place ReLU.
        Assert.True(full["conv2_1"].lt(0).any().item<bool>());
        Assert.True(full["conv2_1"].relu().allclose(full["relu2_1"], rtol: 0, atol: 0));
    }

    [Fact]
    public void Average_and_max_pooling_differ()
    {
        using var net = LoadFixture();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = net.Preprocess(Image(32));
        var max = net.Forward(x, ["pool1", "relu3_1"]);
        net.Pooling = NetworkPooling.Average;
        var avg = net.Forward(x, ["pool1", "relu3_1", "relu1_2"]);
        Assert.False(max["relu3_1"].allclose(avg["relu3_1"]));
        var expectedAvg = nn.functional.avg_pool2d(avg["relu1_2"], [2, 2], [2, 2]);
        Assert.True(avg["pool1"].allclose(expectedAvg));
    }

    [Fact]
    public void Weights_are_frozen_and_the_module_is_in_eval_mode()
    {
        using var net = LoadFixture();
        var parameters = net.parameters().ToList();
        Assert.Equal(32, parameters.Count);
        Assert.All(parameters, p => Assert.False(p.requires_grad));
        Assert.False(net.training);

        // The input gradient still flows, which is what style transfer optimises.
        using var scope = torch.NewDisposeScope();
        var image = Image(32).requires_grad_(true);
        var loss = net.Forward(net.Preprocess(image), ["relu2_1"])["relu2_1"].square().sum();
        loss.backward();
        Assert.NotNull(image.grad);
        Assert.All(parameters, p => Assert.Null(p.grad));
    }

    [Fact]
    public void Conv1_1_equals_torch_conv2d_on_the_normalised_input()
    {
        var dict = Vgg19Fixture.CreateStateDict();
        try
        {
            using var net = Vgg19Network.FromStateDict(dict, torch.CPU);
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var image = Image(16);
            var mean = torch.tensor(new[] { 0.485f, 0.456f, 0.406f }).reshape(1, 3, 1, 1);
            var std = torch.tensor(new[] { 0.229f, 0.224f, 0.225f }).reshape(1, 3, 1, 1);
            var normalised = (image - mean) / std;
            var expected = nn.functional.conv2d(normalised, dict["features.0.weight"], dict["features.0.bias"], padding: [1, 1]);
            var actual = net.Forward(net.Preprocess(image), ["conv1_1"])["conv1_1"];
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-5));
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }
    }

    [Fact]
    public void Circular_padding_wraps_around()
    {
        using var net = LoadFixture();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = net.Preprocess(Image(16));
        var zeros = net.Forward(x, ["conv1_1"])["conv1_1"];
        net.SetPadding(NetworkPadding.Circular);
        var circular = net.Forward(x, ["conv1_1"])["conv1_1"];
        // Interior equal, borders differ; a circular shift of the input shifts the output exactly.
        Assert.True(zeros[.., .., 1..15, 1..15].allclose(circular[.., .., 1..15, 1..15], atol: 1e-6));
        Assert.False(zeros.allclose(circular));
        var shifted = net.Forward(x.roll(5, 3), ["conv1_1"])["conv1_1"];
        Assert.True(shifted.allclose(circular.roll(5, 3), atol: 1e-5));
    }

    [Fact]
    public void Missing_keys_and_unknown_layers_are_clear_errors()
    {
        var dict = Vgg19Fixture.CreateStateDict();
        try
        {
            dict.Remove("features.34.bias", out var removed);
            removed!.Dispose();
            var e = Assert.Throws<StateDictFormatException>(() => Vgg19Network.FromStateDict(dict, torch.CPU));
            Assert.Contains("features.34.bias", e.Message);
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }

        using var net = LoadFixture();
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(Image(8), ["relu9_9"]));
        Assert.Contains("relu9_9", ex.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_state_dict_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        var path = dir.File("notes.pth");
        File.WriteAllText(path, "hello, not a model");
        var e = Assert.Throws<StateDictFormatException>(() => Vgg19Network.Load(path, torch.CPU));
        Assert.Contains("not a PyTorch state dict", e.Message);
        Assert.Throws<FileNotFoundException>(() => Vgg19Network.Load(dir.File("missing.pth"), torch.CPU));
    }

    private static Vgg19Network LoadFixture()
    {
        var dict = Vgg19Fixture.CreateStateDict();
        try
        {
            return Vgg19Network.FromStateDict(dict, torch.CPU);
        }
        finally
        {
            Vgg19Fixture.Dispose(dict);
        }
    }

    private static Tensor Image(int size)
    {
        using var generator = new Generator(7);
        return torch.rand([1, 3, size, size], generator: generator);
    }
}
