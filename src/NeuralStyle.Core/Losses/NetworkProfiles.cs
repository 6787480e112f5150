namespace NeuralStyle.Core.Losses;

/// <summary>The layer sets and default weights per network, chosen by looking at results (see README, "Defaults").</summary>
public static class NetworkProfiles
{
    /// <summary>
    /// Bundled ResNet-18: the stem and the first three stages carry texture from fine grain to
    /// motif scale; layer4 (stride 32) adds little but cost. Content from layer2 keeps shapes
    /// without pinning fine texture. Its strided convolutions leave green/magenta pixel noise when
    /// only feature statistics are matched; a TV term of 0.05 removed it but, measured with the
    /// quality bench (quality/results), smoothed real detail away (marble veins, the Morris carpet's
    /// dark ground; spectrum distance up to 1.4× the plain method's). The colour term does that job
    /// instead: pinned to the source's own palette, off-palette pixels cost, fine lines do not
    /// (textures: TV 0, colour 0.3 — colour distance ÷ 5–10, spectrum ÷ 1.5–3 against TV 0.05).
    /// Average pooling after the stem was worse (colour blobs), as was a random shift per step
    /// (L-BFGS needs a fixed objective). Transfers: style summed over octaves (Snelgrove), content 2 :
    /// style 2, TV 0.01, colour 0.3, optimised at the output size from the content rather than coarse
    /// to fine: the coarse stages re-drew the content's shapes (content edge correlation 0.87–0.94× the
    /// plain method's), a single stage keeps them (0.93–1.00×) and its colour, spectrum and patch distances
    /// to the style stay below the plain method's (quality/results/levers.md).
    /// </summary>
    public static NetworkProfile ResNet18 { get; } = new(
        Network: "resnet18",
        StyleLayers: [new("stem", 1), new("layer1", 1), new("layer2", 1), new("layer3", 1)],
        ContentLayer: "layer2",
        TextureWeights: new LossWeights(Content: 0, Style: 1, TotalVariation: 0, Colour: 0.3),
        TransferWeights: new LossWeights(Content: 2, Style: 2, TotalVariation: 0.01, Colour: 0.3),
        TransferCoarseToFine: false,
        MinimumSide: 32,
        Memory: new(WholeImageBytesPerPixel: 4_000, TileBytesPerPixel: 1_000));

    /// <summary>VGG19 with Gatys' layers: relu1_1 … relu5_1 for style, relu4_2 for content.</summary>
    public static NetworkProfile Vgg19 { get; } = new(
        Network: "vgg19",
        StyleLayers: [new("relu1_1", 1), new("relu2_1", 1), new("relu3_1", 1), new("relu4_1", 1), new("relu5_1", 1)],
        ContentLayer: "relu4_2",
        TextureWeights: new LossWeights(Content: 0, Style: 1, TotalVariation: 0),
        TransferWeights: new LossWeights(Content: 1, Style: 10, TotalVariation: 0),
        TransferCoarseToFine: true,
        MinimumSide: 32,
        Memory: new(WholeImageBytesPerPixel: 18_000, TileBytesPerPixel: 6_000));

    public static NetworkProfile For(string network) => network switch
    {
        "resnet18" => ResNet18,
        "vgg19" => Vgg19,
        _ => throw new ArgumentException($"No layer profile for network '{network}'.", nameof(network)),
    };
}
