using NeuralStyle.Core.Pyramids;

namespace NeuralStyle.Bench;

/// <summary>
/// The convolution work of one step, counted from the bundled ResNet-18's shapes. The reference
/// counts the same from the shapes it actually runs; the bench checks that both agree.
/// </summary>
public static class ConvFlops
{
    public const string Rule =
        "Convolutions of the feature network only (pyramid blur, Gram matrices, losses and L-BFGS not counted). " +
        "Forward: 2·Cin·Cout·k²·Hout·Wout per convolution (a multiply-add is two FLOPs), for every convolution up to the deepest " +
        "loss layer, on every pyramid level. Backward: the gradient with respect to the conv's input costs the same again; " +
        "no weight gradients are computed (the network is frozen). Step FLOPs = 2 × forward.";

    // The export's stages up to layer3 (in, out, blocks, stride of the first block); layer4 is never run.
    private static readonly (string Name, int In, int Out, int Blocks, int Stride)[] Stages =
        [("layer1", 64, 64, 2, 1), ("layer2", 64, 128, 2, 2), ("layer3", 128, 256, 2, 2)];

    /// <summary>Forward FLOPs of one step's network passes: every pyramid level, up to <paramref name="deepestLayer"/>.</summary>
    public static long ForwardPerStep(int width, int height, int octaves, string deepestLayer)
    {
        var depth = deepestLayer == "stem" ? 0 : Array.FindIndex(Stages, s => s.Name == deepestLayer) + 1;
        if (depth == 0 && deepestLayer != "stem") throw new ArgumentException($"Cannot count layer '{deepestLayer}'.", nameof(deepestLayer));
        return GaussianPyramid.LevelSizes(width, height, octaves).Sum(level => ForwardPerLevel(level.Width, level.Height, depth));
    }

    private static long ForwardPerLevel(int width, int height, int depth)
    {
        long flops = 0;
        // Stem 7×7/2 pad 3, then max-pool 3×3/2 pad 1; output sizes as for any (same-size) padding.
        var (w, h) = (Out(width, 7, 2), Out(height, 7, 2));
        flops += Conv(3, 64, 7, w, h);
        (w, h) = (Out(w, 3, 2), Out(h, 3, 2));
        foreach (var stage in Stages.Take(depth))
        {
            for (var b = 0; b < stage.Blocks; b++)
            {
                var (cin, stride) = b == 0 ? (stage.In, stage.Stride) : (stage.Out, 1);
                var (w1, h1) = (Out(w, 3, stride), Out(h, 3, stride));
                flops += Conv(cin, stage.Out, 3, w1, h1) + Conv(stage.Out, stage.Out, 3, w1, h1);
                if (cin != stage.Out || stride != 1) flops += Conv(cin, stage.Out, 1, w1, h1); // projection shortcut
                (w, h) = (w1, h1);
            }
        }
        return flops;
    }

    private static int Out(int size, int kernel, int stride) => (size + 2 * (kernel / 2) - kernel) / stride + 1;

    private static long Conv(int cin, int cout, int k, int w, int h) => 2L * cin * cout * k * k * w * h;
}
