using TorchSharp;
using NeuralStyle.Core.Features;
using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Networks;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Evaluation;

/// <summary>Adds up terms on whole levels, with autograd: each level's layers are read once, for all its terms.</summary>
internal static class TermSum
{
    /// <summary>The sum (owned by the caller's scope, graph kept) and its parts, in the terms' order.</summary>
    public static (Tensor Total, LossTerms Terms) Of(IFeatureNetwork network, IEnumerable<ILossTerm> terms, Func<int, Tensor> level,
        NetworkPadding padding, Tensor like)
    {
        var total = zeros([], dtype: like.dtype, device: like.device);
        var parts = LossTerms.Zero;
        var read = new Dictionary<int, LevelFeatures>();
        var list = terms.ToList();
        foreach (var term in list)
        {
            if (!read.TryGetValue(term.Octave, out var features))
            {
                var image = level(term.Octave);
                var layers = Layers(list.Where(t => t.Octave == term.Octave));
                read[term.Octave] = features = new LevelFeatures(image,
                    layers.Length == 0 ? new Dictionary<string, Tensor>() : FeatureReader.Read(network, image, layers, padding));
            }
            var loss = term.Loss(features);
            parts = parts.Add(term.Part, loss.ToDouble());
            total = total.add(loss);
        }
        return (total, parts);
    }

    /// <summary>Every layer some of <paramref name="terms"/> read, each once, in the terms' order.</summary>
    public static string[] Layers(IEnumerable<ILossTerm> terms) => [.. terms.SelectMany(t => t.Layers).Distinct()];
}
