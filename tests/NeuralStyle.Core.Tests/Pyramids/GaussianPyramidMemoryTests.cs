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
    /// libtorch's backward pass held about 3.2 GB at 4096², the peak of a block-wise step; this test read
    /// 251–272 bytes per pixel for that form and 155–190 for the depthwise one (2026-12-02, 13 runs).
    /// </summary>
    [SkippableFact]
    public void Backward_through_five_octaves_needs_few_image_sized_buffers()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the peak is read from /proc/self/status, glibc's malloc tuned for it");
        var (perPixel, _, _) = ProcessStatus.PeakPerPixel(image => () =>
        {
            using var step = NewDisposeScope();
            var levels = GaussianPyramid.Build(image, 5);
            var surrogate = zeros([]);
            foreach (var level in levels) surrogate = surrogate.add(level.reshape(-1).dot(level.detach().reshape(-1)));
            surrogate.backward();
        }, seed: 91);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pyramid forward and backward: {perPixel:F1} bytes per pixel"));
        Assert.True(perPixel <= 200, $"{perPixel:F1} bytes per pixel");
    }
}
