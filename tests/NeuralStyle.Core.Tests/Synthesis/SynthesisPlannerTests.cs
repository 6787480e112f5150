using NeuralStyle.Core.Losses;
using NeuralStyle.Core.Synthesis;
using NeuralStyle.Core.Tests.Support;

namespace NeuralStyle.Core.Tests.Synthesis;

/// <summary>
/// What the planner decides: a request that contradicts itself is refused, with the id that names the failure and the
/// value the user gave; the schedule is the profile's default per job kind unless the request says.
/// </summary>
public sealed class SynthesisPlannerTests
{
    private static readonly string Wood = RepositoryFiles.Example("wood-planks.jpg");
    private static readonly string Cat = RepositoryFiles.Example("cat.jpg");

    private static SynthesisRequest Texture => new() { Styles = [new(Wood)], Width = 64, Height = 64, Octaves = 1 };

    private static SynthesisRequest Transfer => Texture with { Content = new ContentPart(Cat, 64, 1.0, ColorPreservation.None), Init = InitKind.Content };

    public static TheoryData<string, SettingError, object?> Contradictions() => new()
    {
        { "tile size with sliced Wasserstein", SettingError.TileSizeWithSlicedWasserstein, 64 },
        { "-Init Image without an image", SettingError.InitImageMissing, InitKind.Image },
        { "a transfer's -Init Image without an image", SettingError.InitImageMissing, InitKind.Image },
        { "-Init Content for a texture", SettingError.InitContentWithoutContent, InitKind.Content },
        { "source weights all zero", SettingError.SourceWeightsAllZero, new[] { 0.0, 0.0 } },
        { "style weights all zero", SettingError.StyleWeightsAllZero, new[] { 0.0 } },
    };

    [Theory]
    [MemberData(nameof(Contradictions))]
    public void Names_the_failure_and_the_value(string what, SettingError expected, object? value)
    {
        var request = what switch
        {
            "tile size with sliced Wasserstein" => Texture with { TileSize = 64, StyleLoss = StyleLossKind.SlicedWasserstein },
            "-Init Image without an image" => Texture with { Init = InitKind.Image },
            "a transfer's -Init Image without an image" => Transfer with { Init = InitKind.Image },
            "-Init Content for a texture" => Texture with { Init = InitKind.Content },
            "source weights all zero" => Texture with { Styles = [new(Wood, 0), new(Cat, 0)] },
            _ => Transfer with { Styles = [new(Wood, 0)] },
        };
        var e = Assert.Throws<InvalidSettingException>(() => SynthesisPlanner.Plan(request, NetworkProfiles.ResNet18));
        Assert.Equal(expected, e.Error);
        Assert.Equal(value, e.Value);
    }

    [Fact]
    public void Zero_content_weight_and_style_strength_leave_nothing_to_optimise()
    {
        var e = Assert.Throws<InvalidSettingException>(() =>
            SynthesisPlanner.Plan(Transfer with { ContentWeight = 0, StyleStrength = 0 }, NetworkProfiles.ResNet18));
        Assert.Equal(SettingError.ContentAndStyleWeightsZero, e.Error);
        Assert.Equal((0.0, 0.0), (((LossWeights)e.Value!).Content, ((LossWeights)e.Value!).Style));
    }

    [Fact]
    public void A_consistent_request_plans()
    {
        Assert.Equal(1, SynthesisPlanner.Plan(Texture with { SourceScale = 1 }, NetworkProfiles.ResNet18).Octaves);
        Assert.Equal(64, SynthesisPlanner.Plan(Transfer, NetworkProfiles.ResNet18).Width);
    }

    // 3 octaves need 128 px on the short side (32 px per level): the cat (4:3) at 256, the texture at 160.
    private static SynthesisRequest LargeTexture => Texture with { Width = 160, Height = 160, Octaves = 3 };

    private static SynthesisRequest LargeTransfer => LargeTexture with { Content = new ContentPart(Cat, 256, 1.0, ColorPreservation.None), Init = InitKind.Content };

    private static int Stages(SynthesisRequest request, NetworkProfile profile) => SynthesisPlanner.Plan(request, profile).Stages.Count;

    [Fact]
    public void Textures_go_coarse_to_fine_and_resnet_transfers_stay_at_the_output_size()
    {
        Assert.Equal(3, Stages(LargeTexture, NetworkProfiles.ResNet18));
        Assert.Equal(1, Stages(LargeTransfer, NetworkProfiles.ResNet18));
        Assert.Equal(3, Stages(LargeTransfer, NetworkProfiles.Vgg19));
    }

    [Fact]
    public void The_request_overrides_the_profiles_schedule()
    {
        Assert.Equal(3, Stages(LargeTransfer with { CoarseToFine = true }, NetworkProfiles.ResNet18));
        Assert.Equal(1, Stages(LargeTransfer with { CoarseToFine = false }, NetworkProfiles.Vgg19));
        Assert.Equal(1, Stages(LargeTexture with { CoarseToFine = false }, NetworkProfiles.ResNet18));
    }
}
