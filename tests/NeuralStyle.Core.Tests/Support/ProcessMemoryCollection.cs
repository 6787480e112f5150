namespace NeuralStyle.Core.Tests.Support;

/// <summary>Tests that read this process's resident memory run alone: nothing else may allocate meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "reads the process's memory";
}
