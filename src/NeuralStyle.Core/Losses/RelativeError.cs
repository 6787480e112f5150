using static TorchSharp.torch;

namespace NeuralStyle.Core.Losses;

/// <summary>Squared errors relative to the target's own size: scale-free, so one weight suits layers and images of any magnitude.</summary>
internal static class RelativeError
{
    /// <summary>Keeps an all-zero target (a black style layer) from dividing by zero.</summary>
    public const double Epsilon = 1e-12;

    /// <summary>‖x − t‖² / ‖t‖², with ‖t‖² given.</summary>
    public static Tensor Of(Tensor x, Tensor target, Tensor targetSquaredNorm) =>
        x.sub(target).square().sum().div(targetSquaredNorm.add(Epsilon));
}
