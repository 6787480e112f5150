namespace NeuralStyle.Core.Losses;

/// <summary>
/// The layers and default weights that work well for one feature network. Data, not code:
/// one record per network in <see cref="NetworkProfiles"/>.
/// </summary>
/// <param name="TransferCoarseToFine">Whether a transfer optimises coarse to fine by default (textures always do).</param>
public sealed record NetworkProfile(
    string Network,
    IReadOnlyList<StyleLayer> StyleLayers,
    string ContentLayer,
    LossWeights TextureWeights,
    LossWeights TransferWeights,
    bool TransferCoarseToFine,
    int MinimumSide,
    MemoryCosts Memory)
{
    /// <summary>Every layer the losses read, for running the network only as deep as needed.</summary>
    public IReadOnlyList<string> AllLayers => [.. StyleLayers.Select(l => l.Name).Append(ContentLayer).Distinct()];
}
