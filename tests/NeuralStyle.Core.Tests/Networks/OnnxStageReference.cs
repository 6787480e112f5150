using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>
/// Runs the original ResNet18.onnx in ONNX Runtime and returns the activations at the ends of
/// the stem, the max-pool and each stage. ORT only returns graph outputs, so the model is edited
/// (protobuf) to expose those tensors, to accept any input size, and to drop the classifier's
/// fixed 7×7 average pool (which would reject inputs other than 224×224).
/// </summary>
internal sealed class OnnxStageReference : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly Dictionary<string, string> layerToTensor;

    public OnnxStageReference(string onnxPath)
    {
        ModelProto model;
        using (var stream = File.OpenRead(onnxPath))
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }
        var graph = model.Graph;
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var input = graph.Input.Single(i => !initializers.Contains(i.Name));
        inputName = input.Name;

        // Found by structure, like the loader does, not by CNTK's node names.
        var consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        var producer = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var maxPool = graph.Node.Single(n => n.OpType == "MaxPool");
        var stem = maxPool.Input[0];
        var blockEnds = graph.Node
            .Where(n => n.OpType == "Relu" && producer.TryGetValue(n.Input[0], out var p) && p.OpType == "Add")
            .Select(n => n.Output[0]);
        // A stage ends where the next block starts with a projection (two convs read the tensor) or nothing follows.
        var stageEnds = blockEnds.Where(t => consumers[t].Count(n => n.OpType == "Conv") != 1).ToList();
        Assert.Equal(4, stageEnds.Count);
        layerToTensor = new Dictionary<string, string>
        {
            ["stem"] = stem,
            ["pool"] = maxPool.Output[0],
            ["layer1"] = stageEnds[0],
            ["layer2"] = stageEnds[1],
            ["layer3"] = stageEnds[2],
            ["layer4"] = stageEnds[3],
        };

        var dims = input.Type.TensorType.Shape.Dim;
        dims[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        dims[3] = new TensorShapeProto.Types.Dimension { DimParam = "width" };
        var last = producer[stageEnds[3]];
        var lastIndex = graph.Node.IndexOf(last);
        while (graph.Node.Count > lastIndex + 1)
        {
            graph.Node.RemoveAt(graph.Node.Count - 1);
        }
        graph.ValueInfo.Clear();
        graph.Output.Clear();
        foreach (var tensor in layerToTensor.Values)
        {
            graph.Output.Add(new ValueInfoProto
            {
                Name = tensor,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }
        session = new InferenceSession(model.ToByteArray());
    }

    public IReadOnlyDictionary<string, string> TensorNames => layerToTensor;

    /// <summary>Runs the graph on a preprocessed [1,3,H,W] input; returns (data, shape) per layer name.</summary>
    public Dictionary<string, (float[] Data, long[] Shape)> Run(float[] input, long[] shape)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var options = new RunOptions();
        var names = layerToTensor.Keys.ToList();
        using var outputs = session.Run(options, [inputName], [value], names.Select(n => layerToTensor[n]).ToList());
        var result = new Dictionary<string, (float[], long[])>();
        for (var i = 0; i < names.Count; i++)
        {
            var o = outputs[i];
            result[names[i]] = (o.GetTensorDataAsSpan<float>().ToArray(), o.GetTensorTypeAndShape().Shape);
        }
        return result;
    }

    public void Dispose() => session.Dispose();
}
