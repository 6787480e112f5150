using System.Diagnostics;
using System.Security.Cryptography;
using NeuralStyle.Core.Models;
using NeuralStyle.Core.Networks;
using NeuralStyle.Core.Tests.Networks;
using TorchSharp;

namespace NeuralStyle.Core.Tests.Models;

/// <summary>Downloads of a small VGG19 fixture from a loopback server, including every failure the user can meet.</summary>
public sealed class ModelDownloaderTests : IDisposable
{
    private static readonly byte[] Fixture = Vgg19Fixture.CreatePthBytes();
    private static readonly string FixtureSha256 = Convert.ToHexString(SHA256.HashData(Fixture)).ToLowerInvariant();

    private readonly TempDirectory temp = new();
    private readonly ModelCache cache;

    public ModelDownloaderTests()
    {
        cache = new ModelCache(Path.Combine(temp.Path, "cache"));
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Downloads_verifies_renames_and_the_file_loads_as_Vgg19()
    {
        await using var server = new LoopbackModelServer(Fixture, "vgg19-test.pth");
        var entry = Entry(server.FileUrl, FixtureSha256);
        var reports = new List<DownloadProgress>();
        using var downloader = new ModelDownloader(cache);

        var path = await downloader.DownloadAsync(entry, progress: new SyncProgress(reports.Add));

        Assert.Equal(cache.PathOf(entry), path);
        Assert.Equal(Fixture, File.ReadAllBytes(path));
        Assert.False(File.Exists(cache.PartialPathOf(entry)));
        Assert.True(cache.IsVerified(entry), "a sidecar records the verification");
        Assert.StartsWith(FixtureSha256, File.ReadAllText(cache.SidecarPathOf(entry)));
        var last = Assert.Single(reports.TakeLast(1));
        Assert.Equal(Fixture.Length, last.BytesReceived);
        Assert.Equal(Fixture.Length, last.TotalBytes);
        Assert.Equal(100, last.PercentComplete);
        Assert.Equal([null], server.RangeHeaders);

        using var net = Vgg19Network.Load(path, torch.CPU);
        Assert.Equal(Vgg19Fixture.Channels, net.ConvolutionChannels);

        // A second call finds the verified file and makes no request.
        Assert.Equal(path, await downloader.DownloadAsync(entry));
        Assert.Single(server.RangeHeaders);
    }

    [Fact]
    public async Task A_hash_prefix_like_torchvisions_is_accepted()
    {
        await using var server = new LoopbackModelServer(Fixture);
        using var downloader = new ModelDownloader(cache);
        var path = await downloader.DownloadAsync(Entry(server.FileUrl, FixtureSha256[..8]));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Hash_mismatch_deletes_the_partial_and_says_what_to_do()
    {
        var other = Vgg19Fixture.CreatePthBytes(seed: 99);
        await using var server = new LoopbackModelServer(other);
        var entry = Entry(server.FileUrl, FixtureSha256);
        using var downloader = new ModelDownloader(cache);

        var e = await Assert.ThrowsAsync<ModelIntegrityException>(() => downloader.DownloadAsync(entry));

        Assert.Contains("SHA-256", e.Message);
        Assert.Contains(FixtureSha256, e.Message);
        Assert.Contains("-ModelPath", e.Message);
        Assert.Contains("again", e.Message);
        Assert.False(File.Exists(cache.PartialPathOf(entry)));
        Assert.False(File.Exists(cache.PathOf(entry)));
    }

    [Fact]
    public async Task Server_down_is_a_clear_error()
    {
        var url = new Uri($"http://127.0.0.1:{LoopbackModelServer.UnusedPort()}/model.pth");
        using var downloader = new ModelDownloader(cache);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(Entry(url, FixtureSha256)));
        Assert.Contains("Could not reach 127.0.0.1", e.Message);
        Assert.Equal(url, e.Url);
    }

    [Fact]
    public async Task Unknown_host_is_a_clear_error()
    {
        // .invalid never resolves (RFC 2606), so this stays offline.
        var url = new Uri("http://models.neuralstyle.invalid/model.pth");
        using var downloader = new ModelDownloader(cache);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(Entry(url, FixtureSha256)));
        Assert.Contains("Could not reach models.neuralstyle.invalid", e.Message);
    }

    [Fact]
    public async Task Http_error_is_a_clear_error()
    {
        await using var server = new LoopbackModelServer(Fixture, "other-name.pth");
        using var downloader = new ModelDownloader(cache);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(Entry(new Uri(server.BaseUrl, "model.pth"), FixtureSha256)));
        Assert.Contains("404", e.Message);
    }

    [Fact]
    public async Task Truncated_transfer_keeps_the_partial_and_the_next_call_resumes_with_a_range_request()
    {
        await using var server = new LoopbackModelServer(Fixture) { TruncateFirstResponses = 1 };
        var entry = Entry(server.FileUrl, FixtureSha256);
        using var downloader = new ModelDownloader(cache);

        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(entry));
        Assert.Contains("resume", e.Message);
        var kept = new FileInfo(cache.PartialPathOf(entry));
        Assert.True(kept.Exists);
        Assert.Equal(Fixture.Length / 2, kept.Length);
        Assert.False(File.Exists(cache.PathOf(entry)));
        Assert.Equal(ModelState.Partial, new ModelInventory(new ModelCatalog([entry], temp.Path), cache).GetStatus(entry).State);

        var path = await downloader.DownloadAsync(entry);

        Assert.Equal([null, $"bytes={Fixture.Length / 2}-"], server.RangeHeaders);
        Assert.Equal(Fixture, File.ReadAllBytes(path));
        Assert.True(cache.IsVerified(entry));
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_restarts_from_zero()
    {
        await using var server = new LoopbackModelServer(Fixture) { TruncateFirstResponses = 1, IgnoreRange = true };
        var entry = Entry(server.FileUrl, FixtureSha256);
        using var downloader = new ModelDownloader(cache);
        await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.DownloadAsync(entry));

        var path = await downloader.DownloadAsync(entry);

        Assert.Equal(2, server.RangeHeaders.Count);
        Assert.NotNull(server.RangeHeaders[1]);
        Assert.Equal(Fixture, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Cancellation_keeps_the_partial()
    {
        await using var server = new LoopbackModelServer(Fixture);
        var entry = Entry(server.FileUrl, FixtureSha256);
        using var downloader = new ModelDownloader(cache);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => downloader.DownloadAsync(entry, cancellationToken: cts.Token));
        Assert.False(File.Exists(cache.PathOf(entry)));
    }

    [Fact]
    public async Task Force_downloads_again_and_a_corrupt_cached_file_is_refused_without_it()
    {
        await using var server = new LoopbackModelServer(Fixture);
        var entry = Entry(server.FileUrl, FixtureSha256);
        using var downloader = new ModelDownloader(cache);
        var path = await downloader.DownloadAsync(entry);

        // Damage the file: the sidecar no longer matches (size/mtime), so the hash is checked again.
        File.WriteAllBytes(path, [1, 2, 3]);
        var e = await Assert.ThrowsAsync<ModelIntegrityException>(() => downloader.DownloadAsync(entry));
        Assert.Contains("Save-StyleModel vgg19-test -Force", e.Message);

        await downloader.DownloadAsync(entry, force: true);
        Assert.Equal(Fixture, File.ReadAllBytes(path));
        Assert.Equal(2, server.RangeHeaders.Count);
    }

    [Fact]
    public async Task An_unwritable_cache_folder_names_the_folder_and_the_variable()
    {
        var folder = Path.Combine(temp.Path, "locked");
        Directory.CreateDirectory(folder);
        var locked = Lock(folder);
        try
        {
            var target = locked ? Path.Combine(folder, "models") : "/sys/neuralstyle-unwritable/models";
            if (!locked && !Directory.Exists("/sys"))
            {
                return; // No way to make an unwritable folder here (xunit 2 has no dynamic skip).
            }
            var lockedCache = new ModelCache(target);
            await using var server = new LoopbackModelServer(Fixture);
            using var downloader = new ModelDownloader(lockedCache);
            var e = await Assert.ThrowsAsync<ModelCacheNotWritableException>(() => downloader.DownloadAsync(Entry(server.FileUrl, FixtureSha256)));
            Assert.Contains(target, e.Message);
            Assert.Contains(ModelCache.DirectoryVariable, e.Message);
            Assert.Empty(server.RangeHeaders);
        }
        finally
        {
            Unlock(folder);
        }
    }

    internal static ModelCatalogEntry Entry(Uri url, string sha256) =>
        new("vgg19-test", "fixture", ModelSource.Download, Path.GetFileName(url.LocalPath)) { DownloadUrl = url, ExpectedSha256 = sha256 };

    /// <summary>chmod is not enough for root; chattr +i is (on ext4 and most Linux file systems).</summary>
    private static bool Lock(string folder)
    {
        if (OperatingSystem.IsWindows()) return false;
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        if (!IsWritable(folder)) return true;
        Run("chattr", "+i", folder);
        return !IsWritable(folder);
    }

    private static void Unlock(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        Run("chattr", "-i", folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static bool IsWritable(string folder)
    {
        var probe = Path.Combine(folder, "probe");
        try { File.WriteAllBytes(probe, []); File.Delete(probe); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static void Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true });
            p?.WaitForExit(10_000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // chattr is not installed: Lock reports the folder as still writable.
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests want the reports in order, at once.</summary>
    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
