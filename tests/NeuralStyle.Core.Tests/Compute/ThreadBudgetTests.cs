using NeuralStyle.Core.Compute;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Compute;

/// <summary>Reads and changes process-wide state (the worker count, an environment variable): not in parallel with itself.</summary>
[CollectionDefinition(nameof(ThreadBudgetTests), DisableParallelization = true)]
public sealed class ThreadBudgetCollection;

[Collection(nameof(ThreadBudgetTests))]
public class ThreadBudgetTests
{
    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 3, 1)] // never below one thread: more workers than cores oversubscribe, by the user's choice
    [InlineData(16, 4, 4)]
    [InlineData(16, 3, 5)] // whole shares: 3 × 5 ≤ 16
    [InlineData(8, 0, 8)] // Get-StyleDevice with no worker open: what one worker would get
    public void Each_worker_gets_an_equal_whole_share_of_the_cores(int cores, int workers, int threads) =>
        Assert.Equal(threads, ThreadBudget.Share(cores, workers));

    [Fact]
    public void A_worker_counts_until_disposed_once()
    {
        var before = ThreadBudget.Workers;
        var first = ThreadBudget.Join();
        var second = ThreadBudget.Join();
        Assert.Equal(before + 2, ThreadBudget.Workers);
        Assert.Equal(ThreadBudget.Share(Environment.ProcessorCount, before + 2), ThreadBudget.ForItem());
        first.Dispose();
        first.Dispose();
        Assert.Equal(before + 1, ThreadBudget.Workers);
        second.Dispose();
        Assert.Equal(before, ThreadBudget.Workers);
    }

    [Fact]
    public void The_users_count_wins_then_the_environment_then_the_share()
    {
        var saved = Environment.GetEnvironmentVariable(ThreadBudget.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ThreadBudget.EnvironmentVariable, "3");
            Assert.Equal(3, ThreadBudget.ForItem());
            Assert.Equal(7, ThreadBudget.ForItem(7));
            Environment.SetEnvironmentVariable(ThreadBudget.EnvironmentVariable, "0");
            var error = Assert.Throws<InvalidSettingException>(() => ThreadBudget.ForItem());
            Assert.Contains("NEURALSTYLE_THREADS is '0'", error.Message);
            Assert.Equal((SettingError.InvalidThreadCount, ThreadBudget.EnvironmentVariable), (error.Error, error.Value));
            Environment.SetEnvironmentVariable(ThreadBudget.EnvironmentVariable, null);
            Assert.Equal(ThreadBudget.Share(Environment.ProcessorCount, ThreadBudget.Workers), ThreadBudget.ForItem());
        }
        finally
        {
            Environment.SetEnvironmentVariable(ThreadBudget.EnvironmentVariable, saved);
        }
    }

    [Fact]
    public void Each_thread_keeps_its_own_libtorch_thread_count_while_leased()
    {
        // The fact the budget rests on: libtorch's OpenMP keeps the intra-op count per calling thread, so two
        // workers running at once each see their own, and a lease puts the thread's old count back.
        using var bothLeased = new Barrier(2);
        var seen = new int[2, 3];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            var before = torch.get_num_threads();
            using (var lease = ThreadBudget.Lease(i + 1))
            {
                bothLeased.SignalAndWait(TimeSpan.FromSeconds(30));
                seen[i, 0] = lease.Threads;
                seen[i, 1] = torch.get_num_threads();
                bothLeased.SignalAndWait(TimeSpan.FromSeconds(30)); // both read while both leases are held
            }
            seen[i, 2] = torch.get_num_threads() == before ? 1 : 0;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(i + 1, seen[i, 0]);
            Assert.Equal(i + 1, seen[i, 1]);
            Assert.Equal(1, seen[i, 2]);
        }
    }
}
