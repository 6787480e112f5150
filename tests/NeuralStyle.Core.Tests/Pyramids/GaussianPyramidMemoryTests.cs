using System.Globalization;
using NeuralStyle.Core.Pyramids;
using NeuralStyle.Core.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Pyramids;

// Alone: reads the process's resident peak.
[Collection(ProcessMemoryCollection.Name)]
public class GaussianPyramidMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every optimisation step builds the generated image's pyramid with its graph and back-propagates
    /// through it. With the channels as batch entries of a single-channel convolution (the same bits),
    /// libtorch's backward pass held about 3.2 GB at 4096², the peak of a block-wise step. The two forms are
    /// measured side by side, because the absolute figure depends on the host: on the AMD Zen 3 hosts of
    /// 2026-12-02 the batch form read 251–272 bytes per pixel and the depthwise one 155–190 (13 runs); on an
    /// Intel host with AVX-512 (2026-12-02, evening) the depthwise one read 172–252 and the batch form, in the same
    /// process, 452–553. The bound, 0.85 of the batch form, holds for both hosts' figures (190 / 251 = 0.76 at worst).
    /// </summary>
    [SkippableFact]
    public void Backward_through_five_octaves_needs_few_image_sized_buffers()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the peak is read from /proc/self/status, glibc's malloc tuned for it");
        double PerPixel(Func<Tensor, IReadOnlyList<Tensor>> build) => ProcessStatus.PeakPerPixel(image => () =>
        {
            using var step = NewDisposeScope();
            var levels = build(image);
            var surrogate = zeros([]);
            foreach (var level in levels) surrogate = surrogate.add(level.reshape(-1).dot(level.detach().reshape(-1)));
            surrogate.backward();
        }, seed: 91).PerPixel;

        var depthwise = PerPixel(image => GaussianPyramid.Build(image, 5));
        var batch = PerPixel(image => BatchFormPyramid(image, 5));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pyramid forward and backward: {depthwise:F1} bytes per pixel (batch form: {batch:F1})"));
        Assert.True(depthwise <= 0.85 * batch, $"{depthwise:F1} bytes per pixel against {batch:F1} for the batch form");
    }

    /// <summary>The pyramid with the blur's channels as batch entries of a single-channel convolution: the form the engine left.</summary>
    private static IReadOnlyList<Tensor> BatchFormPyramid(Tensor image, int octaves)
    {
        var taps = tensor(GaussianPyramid.Taps.Select(t => (float)t).ToArray());
        var levels = new List<Tensor> { image };
        for (var i = 1; i < octaves; i++)
        {
            var x = levels[^1];
            var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
            x = x.reshape(n * c, 1, h, w);
            x = nn.functional.conv2d(nn.functional.pad(x, [2, 2, 0, 0], TorchSharp.PaddingModes.Reflect), taps.reshape(1, 1, 1, 5));
            x = nn.functional.conv2d(nn.functional.pad(x, [0, 0, 2, 2], TorchSharp.PaddingModes.Reflect), taps.reshape(1, 1, 5, 1));
            levels.Add(x.reshape(n, c, h, w)[.., .., TensorIndex.Slice(0, null, 2), TensorIndex.Slice(0, null, 2)].contiguous());
        }
        return levels;
    }
}
