using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Synthesis;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Synthesis;

public class ResamplerTests
{
    [Fact]
    public void Downscaling_by_four_is_two_pyramid_halvings()
    {
        using var scope = NewDisposeScope();
        var image = rand([1, 3, 64, 48], generator: new Generator(1));
        var expected = GaussianPyramid.Reduce(GaussianPyramid.Reduce(image));
        Assert.True(Resampler.Resize(image, 12, 16).allclose(expected, 1e-6, 1e-6));
    }

    [Fact]
    public void A_fine_checkerboard_does_not_alias_into_the_downscaled_image()
    {
        using var scope = NewDisposeScope();
        // Pixel-level checkerboard: a direct nearest/bilinear 8× downscale would keep stripes; halving with blur gives flat grey.
        var board = arange(64).remainder(2).reshape(1, 1, 1, 64).add(arange(64).remainder(2).reshape(1, 1, 64, 1)).remainder(2)
            .to(ScalarType.Float32).expand(1, 3, 64, 64).contiguous();
        var small = Resampler.Resize(board, 8, 8);
        Assert.True(small.sub(0.5).abs().max().item<float>() < 0.05);
    }

    [Theory]
    [InlineData(1024, 768, 512, 512, 384)]
    [InlineData(300, 200, 512, 300, 200)]
    [InlineData(200, 700, 350, 100, 350)]
    public void Fit_keeps_the_aspect_and_never_enlarges(int w, int h, int max, int ew, int eh)
    {
        Assert.Equal((ew, eh), Resampler.Fit(w, h, max));
    }
}
