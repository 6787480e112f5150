using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NeuralStyle.Core.Tests.Support;

/// <summary>
/// Runs the engine's module initializer (its libtorch settings, Compute/HugePages.cs) before any test, so a
/// test that starts with plain torch calls cannot make libtorch read its settings first.
/// </summary>
internal static class EngineSettingsFirst
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "the test process must configure libtorch as the module does")]
    internal static void Run() => RuntimeHelpers.RunModuleConstructor(typeof(NeuralStyle.Core.Compute.NativeHeap).Module.ModuleHandle);
}
