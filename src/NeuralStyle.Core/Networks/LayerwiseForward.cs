using static TorchSharp.torch;

namespace NeuralStyle.Core.Networks;

/// <summary>The forward pass every feature network shares: run layer by layer, only as deep as asked, keep what was asked.</summary>
internal static class LayerwiseForward
{
    /// <param name="runLayer">Runs layer i on x; also gets the requested names (an in-place op must not overwrite one).</param>
    public static IReadOnlyDictionary<string, Tensor> Run(string network, IReadOnlyList<string> layerNames, Tensor input,
        IReadOnlyCollection<string> layers, Func<int, Tensor, IReadOnlySet<string>, Tensor> runLayer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layers);
        CheckImageBatch(input, nameof(input));
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var deepest = -1;
        foreach (var layer in layers)
        {
            var index = layerNames.ToList().IndexOf(layer);
            if (index < 0)
            {
                throw new ArgumentException($"Unknown layer '{layer}'. {network} has: {string.Join(", ", layerNames)}.", nameof(layers));
            }
            wanted.Add(layer);
            deepest = Math.Max(deepest, index);
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        // Everything made in here that is not returned is released on exit; autograd keeps what it needs.
        using var scope = NewDisposeScope();
        var x = input;
        for (var i = 0; i <= deepest; i++)
        {
            x = runLayer(i, x, wanted);
            if (wanted.Contains(layerNames[i]))
            {
                result[layerNames[i]] = x;
            }
        }
        foreach (var t in result.Values)
        {
            t.MoveToOuterDisposeScope();
        }
        return result;
    }

    public static void CheckImageBatch(Tensor t, string name)
    {
        if (t.dim() != 4 || t.shape[1] != 3)
        {
            throw new ArgumentException($"Expected a [N,3,H,W] image batch, got [{string.Join(",", t.shape)}].", name);
        }
        if (t.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"Expected float32, got {t.dtype}.", name);
        }
    }
}
