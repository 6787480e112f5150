namespace NeuralStyle.Core.Compute;

/// <summary>Where tensors live and run. <see cref="Auto"/> picks CUDA when a usable GPU is present.</summary>
public enum ComputeDevice
{
    Auto,
    Cpu,
    Cuda,
}
