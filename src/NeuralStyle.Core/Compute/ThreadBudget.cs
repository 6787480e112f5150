using TorchSharp;

namespace NeuralStyle.Core.Compute;

/// <summary>
/// The per-process thread budget, so several workers in one process (ForEach-Object -Parallel runspaces,
/// thread jobs) share the cores instead of each starting one libtorch thread per core. A worker is an open
/// <see cref="Synthesis.SynthesisSession"/> (one per cmdlet invocation). Each item starts with
/// max(1, cores ÷ open workers) intra-op threads unless the user fixed the count (-ThreadCount, else the
/// NEURALSTYLE_THREADS variable). The count is set on the worker's own thread: libtorch's CPU bundle uses
/// OpenMP, which keeps the thread count per calling thread, so workers do not change each other's.
/// </summary>
public static class ThreadBudget
{
    public const string EnvironmentVariable = "NEURALSTYLE_THREADS";

    private static int workers;

    /// <summary>Sessions open in this process now.</summary>
    public static int Workers => Volatile.Read(ref workers);

    /// <summary>The rule: each of <paramref name="workers"/> gets an equal whole share of <paramref name="cores"/>, at least one thread.</summary>
    public static int Share(int cores, int workers) => Math.Max(1, cores / Math.Max(1, workers));

    /// <summary>What an item started now gets: <paramref name="fixedCount"/>, else NEURALSTYLE_THREADS, else the share of <see cref="Environment.ProcessorCount"/>.</summary>
    /// <exception cref="InvalidSettingException">NEURALSTYLE_THREADS is set but not a whole number 1 or more (<see cref="SettingError.InvalidThreadCount"/>).</exception>
    public static int ForItem(int? fixedCount = null) => fixedCount ?? FromEnvironment() ?? Share(Environment.ProcessorCount, Workers);

    /// <summary>The count NEURALSTYLE_THREADS fixes, or null when it is unset or empty.</summary>
    public static int? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return null;
        return int.TryParse(text, out var count) && count >= 1
            ? count
            : throw new InvalidSettingException(SettingError.InvalidThreadCount, EnvironmentVariable,
                $"{EnvironmentVariable} is '{text}'; set it to a whole number 1 or more, or remove it.");
    }

    /// <summary>Counts a worker until the returned object is disposed.</summary>
    public static IDisposable Join()
    {
        Interlocked.Increment(ref workers);
        return new Membership();
    }

    /// <summary>Sets the calling thread's intra-op threads for one item (<see cref="ForItem"/>); disposing restores the thread's previous count.</summary>
    public static ThreadLease Lease(int? fixedCount = null)
    {
        var threads = ForItem(fixedCount);
        var previous = torch.get_num_threads();
        if (previous != threads) torch.set_num_threads(threads);
        return new ThreadLease(threads, previous);
    }

    private sealed class Membership : IDisposable
    {
        private int left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref left, 1) == 0) Interlocked.Decrement(ref workers);
        }
    }
}

/// <summary>The thread count one item runs with on this thread; disposing puts the previous count back.</summary>
public readonly record struct ThreadLease(int Threads, int Previous) : IDisposable
{
    public void Dispose()
    {
        if (torch.get_num_threads() != Previous) torch.set_num_threads(Previous);
    }
}
