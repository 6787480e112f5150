using NeuralStyle.Core.Networks;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Networks;

/// <summary>Loads the bundled network once per test class (parsing 64 MB of protobuf takes a moment).</summary>
public sealed class ResNet18NetworkFixture : IDisposable
{
    public ResNet18NetworkFixture() => Network = ResNet18Network.LoadBundled(torch.CPU);

    public ResNet18Network Network { get; }

    public void Dispose() => Network.Dispose();
}
