using NeuralStyle.Core.Pyramids;

namespace NeuralStyle.Core.Synthesis;

/// <summary>
/// Plans the sizes a synthesis runs at. With N octaves the image is first optimised at 1/2^(N-1)
/// of the final size against the style's coarsest octave only, then upsampled and refined at each
/// doubling with one more, finer octave, until the full size matches all N. Large-scale structure
/// settles while it is cheap; full-size steps only add detail. The sizes are exactly the output's
/// own pyramid sizes, so every stage's pyramid lines up with the style's.
/// </summary>
public static class CoarseToFineSchedule
{
    public static IReadOnlyList<SynthesisStage> Plan(int width, int height, int octaves, int stepsPerStage, bool coarseToFine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(octaves, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepsPerStage, 1);
        if (!coarseToFine) return [new SynthesisStage(0, width, height, 0, stepsPerStage)];
        var sizes = GaussianPyramid.LevelSizes(width, height, octaves);
        return [.. Enumerable.Range(0, octaves).Reverse()
            .Select((offset, index) => new SynthesisStage(index, sizes[offset].Width, sizes[offset].Height, offset, stepsPerStage))];
    }
}
