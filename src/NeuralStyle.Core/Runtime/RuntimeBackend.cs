namespace NeuralStyle.Core.Runtime;

/// <summary>Which libtorch build a runtime carries.</summary>
public enum RuntimeBackend
{
    /// <summary>libtorch for the CPU (every platform TorchSharp publishes).</summary>
    Cpu,

    /// <summary>libtorch with CUDA (NVIDIA GPUs; Windows x64 and Linux x64). It runs on the CPU too.</summary>
    Cuda,
}

/// <summary>Where a runtime is installed: for the current user, or for every user of the machine.</summary>
public enum RuntimeScope
{
    CurrentUser,
    AllUsers,
}
