using NeuralStyle.Core.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace NeuralStyle.Core.Tests.Support;

/// <summary>
/// A real but tiny CNN (two 3×3 convolutions, ReLU, average pool) with seeded random weights, in
/// any dtype: float64 makes finite-difference checks of the whole objective meaningful.
/// </summary>
internal sealed class TinyFeatureNetwork : IFeatureNetwork
{
    private static readonly string[] Layers = ["conv1", "relu1", "pool1", "conv2", "relu2"];
    private readonly Tensor w1, b1, w2, b2;
    private NetworkPadding padding = NetworkPadding.Zeros;

    public TinyFeatureNetwork(int seed = 1, ScalarType dtype = ScalarType.Float64)
    {
        var generator = new Generator((ulong)seed);
        w1 = randn([6, 3, 3, 3], dtype: dtype, generator: generator).mul(0.4);
        b1 = randn([6], dtype: dtype, generator: generator).mul(0.1);
        w2 = randn([8, 6, 3, 3], dtype: dtype, generator: generator).mul(0.3);
        b2 = randn([8], dtype: dtype, generator: generator).mul(0.1);
    }

    public string Name => "tiny";
    public IReadOnlyList<string> LayerNames => Layers;
    public Device Device => CPU;
    public int ForwardCount { get; private set; }

    /// <summary>Runs after every forward pass, e.g. to cancel a computation in the middle.</summary>
    public Action? AfterForward { get; set; }

    public Tensor Preprocess(Tensor rgb01) => rgb01.sub(0.5).mul(2);

    public IReadOnlyDictionary<string, Tensor> Forward(Tensor input, IReadOnlyCollection<string> layers)
    {
        ForwardCount++;
        var deepest = layers.Max(l => Array.IndexOf(Layers, l) is var i and >= 0 ? i : throw new ArgumentException(l));
        var result = new Dictionary<string, Tensor>();
        var mode = padding == NetworkPadding.Circular ? PaddingModes.Circular : PaddingModes.Zeros;
        var x = input;
        for (var i = 0; i <= deepest; i++)
        {
            x = i switch
            {
                0 => nn.functional.conv2d(nn.functional.pad(x, [1, 1, 1, 1], mode), w1, b1),
                1 => x.relu(),
                2 => nn.functional.avg_pool2d(x, 2),
                3 => nn.functional.conv2d(nn.functional.pad(x, [1, 1, 1, 1], mode), w2, b2),
                _ => x.relu(),
            };
            if (layers.Contains(Layers[i])) result[Layers[i]] = x;
        }
        AfterForward?.Invoke();
        return result;
    }

    public NetworkPadding Padding => padding;

    public void SetPadding(NetworkPadding mode) => padding = mode;

    public FieldOfView FieldOfView(string layer)
    {
        (int, int, int)[] operations = [(3, 1, 1), (1, 1, 0), (2, 2, 0), (3, 1, 1), (1, 1, 0)];
        var index = Array.IndexOf(Layers, layer);
        if (index < 0) throw new ArgumentException(layer);
        return NeuralStyle.Core.Networks.FieldOfView.Through(operations.Take(index + 1));
    }

    public void Dispose()
    {
        w1.Dispose(); b1.Dispose(); w2.Dispose(); b2.Dispose();
    }
}
