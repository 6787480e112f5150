using System.Runtime.InteropServices;
using Onnx;

namespace NeuralStyle.Core.Networks;

/// <summary>
/// Reads a ResNet with basic blocks (ResNet-18/34 style) out of an ONNX graph by following its
/// structure from the input: Conv → BatchNormalization → Relu → MaxPool, then blocks whose two
/// branches meet in an Add. Initializer names are never interpreted (exporters name them
/// arbitrarily, CNTK "Parameter91"); only the wiring is. Anything else is a <see cref="ModelFormatException"/>.
/// </summary>
/// <remarks>
/// Stages are split where a block has a projection shortcut (shape change). Nodes after the last
/// block (the classifier's global average pool) are ignored: feature extraction never needs them.
/// </remarks>
internal sealed class OnnxResNetReader
{
    private const int OnnxFloat = (int)TensorProto.Types.DataType.Float;

    private readonly string source;
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly ILookup<string, NodeProto> consumers;
    private readonly GraphProto graph;

    private OnnxResNetReader(ModelProto model, string source)
    {
        this.source = source;
        graph = model.Graph ?? throw Fail("the file has no graph");
        initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
        {
            initializers[t.Name] = t;
        }
        consumers = graph.Node
            .SelectMany(n => n.Input.Where(i => i.Length > 0).Distinct().Select(i => (Input: i, Node: n)))
            .ToLookup(p => p.Input, p => p.Node, StringComparer.Ordinal);
    }

    /// <summary>Parses <paramref name="model"/>; <paramref name="source"/> only names it in error messages.</summary>
    public static ResNetSpec Read(ModelProto model, string source) => new OnnxResNetReader(model, source).Read();

    private ResNetSpec Read()
    {
        var dataInputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (dataInputs.Count != 1)
        {
            throw Fail($"expected one image input, found {dataInputs.Count} ({string.Join(", ", dataInputs.Select(i => i.Name))})");
        }
        var x = dataInputs[0].Name;

        // Stem: conv 7×7/2 + BN + ReLU, then max-pool 3×3/2.
        var stemConv = SingleConsumer(x, "Conv", "the image input");
        var stemBn = SingleConsumer(stemConv.Output[0], "BatchNormalization", "the stem convolution");
        var stemRelu = SingleConsumer(stemBn.Output[0], "Relu", "the stem batch norm");
        var stem = Fold(stemConv, stemBn);
        if (stem.InChannels != 3)
        {
            throw Fail($"the stem convolution takes {stem.InChannels} channels, expected 3");
        }
        var pool = SingleConsumer(stemRelu.Output[0], "MaxPool", "the stem ReLU");
        var (poolKernel, poolStride, poolPadding) = ReadMaxPool(pool);
        x = pool.Output[0];

        var stages = new List<List<BasicBlockSpec>>();
        while (consumers[x].Any(n => n.OpType == "Conv"))
        {
            var (block, next) = ReadBlock(x);
            if (stages.Count == 0 || block.Projection is not null)
            {
                stages.Add([]);
            }
            stages[^1].Add(block);
            x = next;
        }
        if (stages.Count == 0)
        {
            throw Fail("no residual blocks follow the max-pool");
        }
        return new ResNetSpec(stem, poolKernel, poolStride, poolPadding, stages.Select(s => (IReadOnlyList<BasicBlockSpec>)s).ToList());
    }

    // One basic block starting at tensor x; returns it and the name of its output (after the final ReLU).
    private (BasicBlockSpec Block, string Output) ReadBlock(string x)
    {
        var convs = consumers[x].Where(n => n.OpType == "Conv").ToList();
        if (convs.Count is not (1 or 2))
        {
            throw Fail($"tensor '{x}' feeds {convs.Count} convolutions; a basic block has one (identity shortcut) or two (projection)");
        }

        // The main branch's first BN feeds a ReLU; a projection shortcut's BN feeds the Add directly.
        NodeProto? mainConv = null, mainBn = null, projConv = null, projBn = null;
        foreach (var conv in convs)
        {
            var bn = SingleConsumer(conv.Output[0], "BatchNormalization", $"convolution '{conv.Name}'");
            var after = consumers[bn.Output[0]].ToList();
            if (after.Count == 1 && after[0].OpType == "Relu" && mainConv is null)
            {
                (mainConv, mainBn) = (conv, bn);
            }
            else if (after.Count == 1 && after[0].OpType == "Add" && projConv is null)
            {
                (projConv, projBn) = (conv, bn);
            }
            else
            {
                throw Fail($"cannot tell the role of convolution '{conv.Name}' in the block starting at '{x}'");
            }
        }
        if (mainConv is null || mainBn is null)
        {
            throw Fail($"the block starting at '{x}' has no Conv → BatchNormalization → Relu branch");
        }

        var relu1 = SingleConsumer(mainBn.Output[0], "Relu", $"batch norm '{mainBn.Name}'");
        var conv2 = SingleConsumer(relu1.Output[0], "Conv", $"ReLU '{relu1.Name}'");
        var bn2 = SingleConsumer(conv2.Output[0], "BatchNormalization", $"convolution '{conv2.Name}'");
        var add = SingleConsumer(bn2.Output[0], "Add", $"batch norm '{bn2.Name}'");
        if (add.Input.Count != 2)
        {
            throw Fail($"Add '{add.Name}' has {add.Input.Count} inputs, expected 2");
        }
        var other = add.Input[0] == bn2.Output[0] ? add.Input[1] : add.Input[0];
        var expectedShortcut = projBn is null ? x : projBn.Output[0];
        if (other != expectedShortcut)
        {
            throw Fail($"Add '{add.Name}' joins '{other}', expected the block's shortcut '{expectedShortcut}'");
        }
        var relu2 = SingleConsumer(add.Output[0], "Relu", $"Add '{add.Name}'");

        var block = new BasicBlockSpec(
            Fold(mainConv, mainBn),
            Fold(conv2, bn2),
            projConv is null || projBn is null ? null : Fold(projConv, projBn));
        if (block.Projection is { KernelSize: not 1 })
        {
            throw Fail($"projection shortcut '{projConv!.Name}' has a {block.Projection.KernelSize}×{block.Projection.KernelSize} kernel, expected 1×1");
        }
        return (block, relu2.Output[0]);
    }

    private NodeProto SingleConsumer(string tensor, string opType, string what)
    {
        var next = consumers[tensor].ToList();
        if (next.Count != 1 || next[0].OpType != opType)
        {
            var found = next.Count == 0 ? "nothing" : string.Join(", ", next.Select(n => $"{n.OpType} '{n.Name}'"));
            throw Fail($"{what} should feed exactly one {opType}, but feeds {found}");
        }
        return next[0];
    }

    // Folds BN into the conv: y = s·(W∗x + b − mean) + beta with s = gamma/√(var+eps), so
    // W' = s·W and b' = s·(b − mean) + beta. Computed in double: the folded weights then differ
    // from the unfolded fp32 graph only by rounding.
    private FoldedConvSpec Fold(NodeProto conv, NodeProto bn)
    {
        if ((Int(conv, "group") ?? 1) != 1)
        {
            throw Fail($"convolution '{conv.Name}' is grouped");
        }
        if (Ints(conv, "dilations") is { } d && d.Any(v => v != 1))
        {
            throw Fail($"convolution '{conv.Name}' is dilated");
        }
        if (conv.Input.Count < 2)
        {
            throw Fail($"convolution '{conv.Name}' has no weight input");
        }
        var (w, wShape) = Initializer(conv.Input[1], $"weight of convolution '{conv.Name}'");
        if (wShape.Length != 4 || wShape[2] != wShape[3])
        {
            throw Fail($"convolution '{conv.Name}' has weight shape [{string.Join(",", wShape)}], expected [out,in,k,k]");
        }
        var kernel = Ints(conv, "kernel_shape");
        if (kernel is not null && (kernel.Length != 2 || kernel[0] != wShape[2] || kernel[1] != wShape[3]))
        {
            throw Fail($"convolution '{conv.Name}' kernel_shape [{string.Join(",", kernel)}] does not match its weight");
        }
        var stride = SquareStride(conv);
        var padding = (int)wShape[2] / 2;
        CheckPadding(conv, (int)wShape[2], stride, padding);
        var outC = (int)wShape[0];
        var convBias = conv.Input.Count > 2 && conv.Input[2].Length > 0
            ? Vector(conv.Input[2], outC, $"bias of convolution '{conv.Name}'")
            : new float[outC];

        if (bn.Input.Count != 5)
        {
            throw Fail($"batch norm '{bn.Name}' has {bn.Input.Count} inputs, expected 5 (x, scale, bias, mean, var)");
        }
        if (Int(bn, "spatial") is { } spatial && spatial != 1)
        {
            throw Fail($"batch norm '{bn.Name}' is not spatial");
        }
        var eps = Float(bn, "epsilon") ?? 1e-5f;
        var gamma = Vector(bn.Input[1], outC, $"scale of batch norm '{bn.Name}'");
        var beta = Vector(bn.Input[2], outC, $"bias of batch norm '{bn.Name}'");
        var mean = Vector(bn.Input[3], outC, $"mean of batch norm '{bn.Name}'");
        var variance = Vector(bn.Input[4], outC, $"variance of batch norm '{bn.Name}'");

        var perOut = w.Length / outC;
        var folded = new float[w.Length];
        var bias = new float[outC];
        for (var o = 0; o < outC; o++)
        {
            var s = gamma[o] / Math.Sqrt((double)variance[o] + eps);
            for (var i = o * perOut; i < (o + 1) * perOut; i++)
            {
                folded[i] = (float)(w[i] * s);
            }
            bias[o] = (float)((convBias[o] - (double)mean[o]) * s + beta[o]);
        }
        return new FoldedConvSpec(folded, wShape, bias, stride, padding);
    }

    private (int Kernel, int Stride, int Padding) ReadMaxPool(NodeProto pool)
    {
        var kernel = Ints(pool, "kernel_shape");
        if (kernel is not { Length: 2 } || kernel[0] != kernel[1])
        {
            throw Fail($"max-pool '{pool.Name}' has kernel [{string.Join(",", kernel ?? [])}], expected a square kernel");
        }
        if ((Int(pool, "ceil_mode") ?? 0) != 0 || Ints(pool, "dilations") is { } d && d.Any(v => v != 1))
        {
            throw Fail($"max-pool '{pool.Name}' uses ceil_mode or dilation");
        }
        var stride = SquareStride(pool);
        var k = (int)kernel[0];
        CheckPadding(pool, k, stride, k / 2);
        return (k, stride, k / 2);
    }

    private int SquareStride(NodeProto node)
    {
        var strides = Ints(node, "strides") ?? [1, 1];
        if (strides.Length != 2 || strides[0] != strides[1])
        {
            throw Fail($"{node.OpType} '{node.Name}' has strides [{string.Join(",", strides)}], expected equal strides on both axes");
        }
        return (int)strides[0];
    }

    // CNTK exports "same" padding with the odd pixel at the start (pads [3,3,2,2] for 7×7/2). That
    // equals PyTorch's symmetric k/2 padding: for even sizes the missing last row/column is never
    // read by a strided window, and for odd sizes CNTK pads symmetrically anyway. So accept
    // begin = k/2 and end in [k/2 − (stride − 1), k/2], and use symmetric k/2 ourselves.
    private void CheckPadding(NodeProto node, int kernel, int stride, int padding)
    {
        var autoPad = Attribute(node, "auto_pad")?.S.ToStringUtf8();
        if (!string.IsNullOrEmpty(autoPad) && autoPad != "NOTSET")
        {
            throw Fail($"{node.OpType} '{node.Name}' uses auto_pad={autoPad}; explicit pads expected");
        }
        var pads = Ints(node, "pads") ?? [0, 0, 0, 0];
        var ok = pads.Length == 4
            && pads[0] == padding && pads[1] == padding
            && pads[2] <= padding && pads[3] <= padding
            && pads[2] >= padding - (stride - 1) && pads[3] >= padding - (stride - 1);
        if (!ok || kernel % 2 != 1)
        {
            throw Fail($"{node.OpType} '{node.Name}' ({kernel}×{kernel}/{stride}) has pads [{string.Join(",", pads)}], which are not 'same' padding of {padding}");
        }
    }

    private float[] Vector(string name, int length, string what)
    {
        var (data, shape) = Initializer(name, what);
        if (data.Length != length)
        {
            throw Fail($"{what} has shape [{string.Join(",", shape)}], expected {length} values");
        }
        return data;
    }

    private (float[] Data, long[] Shape) Initializer(string name, string what)
    {
        if (!initializers.TryGetValue(name, out var t))
        {
            throw Fail($"{what} ('{name}') is not a stored initializer");
        }
        if (t.DataType != OnnxFloat)
        {
            throw Fail($"{what} ('{name}') has ONNX data type {t.DataType}, expected float32");
        }
        if (t.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw Fail($"{what} ('{name}') is stored in an external file, which is not supported");
        }
        var shape = t.Dims.ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        float[] data;
        if (!t.RawData.IsEmpty)
        {
            // raw_data is little-endian by the ONNX spec.
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("Reading ONNX raw tensor data needs a little-endian machine.");
            }
            data = MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray();
        }
        else
        {
            data = t.FloatData.ToArray();
        }
        if (data.Length != count)
        {
            throw Fail($"{what} ('{name}') holds {data.Length} values for shape [{string.Join(",", shape)}]");
        }
        return (data, shape);
    }

    private static AttributeProto? Attribute(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static long[]? Ints(NodeProto node, string name) => Attribute(node, name)?.Ints.ToArray();

    private static long? Int(NodeProto node, string name) => Attribute(node, name)?.I;

    private static float? Float(NodeProto node, string name) => Attribute(node, name)?.F;

    private ModelFormatException Fail(string what) =>
        new($"'{source}' is not the expected ResNet feature network: {what}.");
}
