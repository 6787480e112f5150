namespace NeuralStyle.PowerShell.Infrastructure;

/// <summary>
/// Calls back on the reporting thread. Progress&lt;T&gt; would post to the thread pool, but
/// WriteProgress must be called on the pipeline thread, which is where the engine runs.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
