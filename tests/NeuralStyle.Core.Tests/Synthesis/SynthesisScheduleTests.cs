using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.Core.Tests.Support;

namespace NeuralStyle.Core.Tests.Synthesis;

/// <summary>Which schedule a plan gets: the profile's default per job kind, unless the request says.</summary>
public sealed class SynthesisScheduleTests
{
    private static readonly string Wood = RepositoryFiles.Example("wood-planks.jpg");
    private static readonly string Cat = RepositoryFiles.Example("cat.jpg");

    private static SynthesisRequest Texture => new() { Styles = [new(Wood)], Width = 160, Height = 160, Octaves = 3 };

    private static SynthesisRequest Transfer => Texture with { Content = new ContentPart(Cat, 256, 1.0, ColorPreservation.None), Init = InitKind.Content };

    private static int Stages(SynthesisRequest request, NetworkProfile profile) => SynthesisPlanner.Plan(request, profile).Stages.Count;

    [Fact]
    public void Textures_go_coarse_to_fine_and_resnet_transfers_stay_at_the_output_size()
    {
        Assert.Equal(3, Stages(Texture, NetworkProfiles.ResNet18));
        Assert.Equal(1, Stages(Transfer, NetworkProfiles.ResNet18));
        Assert.Equal(3, Stages(Transfer, NetworkProfiles.Vgg19));
    }

    [Fact]
    public void The_request_overrides_the_profile()
    {
        Assert.Equal(3, Stages(Transfer with { CoarseToFine = true }, NetworkProfiles.ResNet18));
        Assert.Equal(1, Stages(Transfer with { CoarseToFine = false }, NetworkProfiles.Vgg19));
        Assert.Equal(1, Stages(Texture with { CoarseToFine = false }, NetworkProfiles.ResNet18));
    }
}
