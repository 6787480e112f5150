using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace NeuralStyle.Core.Models;

/// <summary>
/// Downloads catalogue models into the cache: streams to <c>&lt;file&gt;.partial</c>, resumes an
/// interrupted download with an HTTP Range request, checks the SHA-256 and only then renames the
/// file to its final name, so a corrupt or partial file never sits where a load would find it.
/// </summary>
public sealed class ModelDownloader : IDisposable
{
    private readonly ModelCache cache;
    private readonly HttpClient http;
    private readonly bool ownsClient;

    /// <param name="cache">Where files go.</param>
    /// <param name="httpClient">A client to use (not disposed here); null makes one.</param>
    public ModelDownloader(ModelCache cache, HttpClient? httpClient = null)
    {
        this.cache = cache ?? throw new ArgumentNullException(nameof(cache));
        ownsClient = httpClient is null;
        http = httpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
    }

    /// <summary>A read that waits longer than this for the next bytes ends the attempt (the partial is kept).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Makes sure <paramref name="entry"/> is in the cache and intact, downloading what is missing.
    /// Returns the final path.
    /// </summary>
    /// <param name="entry">A catalogue entry with <see cref="ModelSource.Download"/>.</param>
    /// <param name="force">Download again from zero even when the file or a partial download is there.</param>
    /// <param name="progress">Bytes, total and speed, a few times a second.</param>
    /// <param name="cancellationToken">Stops the transfer; what arrived is kept for resume.</param>
    /// <exception cref="ModelDownloadException">Unreachable server, HTTP error or dropped connection; the partial is kept for resume.</exception>
    /// <exception cref="ModelIntegrityException">The downloaded (or already cached) file has the wrong SHA-256.</exception>
    /// <exception cref="ModelCacheNotWritableException">The cache folder cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the partial is kept for resume.</exception>
    public async Task<string> DownloadAsync(ModelCatalogEntry entry, bool force = false,
        IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Source != ModelSource.Download || entry.DownloadUrl is null)
        {
            throw new ArgumentException($"Model '{entry.Name}' is not downloadable (source {entry.Source}).", nameof(entry));
        }
        var finalPath = cache.PathOf(entry);
        var partialPath = cache.PartialPathOf(entry);
        EnsureWritable();
        try
        {
            if (force)
            {
                File.Delete(finalPath);
                File.Delete(cache.SidecarPathOf(entry));
                File.Delete(partialPath);
            }
            else if (File.Exists(finalPath))
            {
                return cache.Verify(entry, cancellationToken);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ModelCacheNotWritableException(cache.Directory, e);
        }

        // The second round only runs after a 416 (the partial is not a prefix the server can continue).
        for (var round = 0; round < 2; round++)
        {
            if (await TransferAsync(entry.DownloadUrl, partialPath, progress, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        var actual = Sha256File.Compute(partialPath, cancellationToken);
        if (!entry.HashMatches(actual))
        {
            File.Delete(partialPath);
            throw new ModelIntegrityException(
                $"The download of '{entry.Name}' from {entry.DownloadUrl} has SHA-256 {actual}, but {entry.DescribeExpectedHash()} was expected, " +
                "so it was deleted. The transfer was damaged or the server sent a different file. " +
                $"Run 'Save-StyleModel {entry.Name}' again; if it keeps failing, download the file yourself and pass it with -ModelPath.",
                partialPath);
        }
        File.Move(partialPath, finalPath, overwrite: true);
        cache.RecordVerified(entry, actual);
        return finalPath;
    }

    public void Dispose()
    {
        if (ownsClient)
        {
            http.Dispose();
        }
    }

    /// <summary>One HTTP request into the partial file. False when the server refused the range (partial dropped; try again from zero).</summary>
    private async Task<bool> TransferAsync(Uri url, string partialPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var existing = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (existing > 0)
        {
            request.Headers.Range = new RangeHeaderValue(existing, null);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ModelDownloadException(
                $"Could not reach {url.Host} to download {url}: {e.Message}. Check the network connection (and proxy) and try again" +
                (existing > 0 ? $"; the {existing:N0} bytes already downloaded are kept and the download resumes." : "."), url, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelDownloadException($"{url.Host} did not answer in time ({http.Timeout.TotalSeconds:0} s). Try again later.", url, e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && existing > 0)
            {
                File.Delete(partialPath);
                return false;
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new ModelDownloadException(
                    $"The server answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}. " +
                    "Try again later; if the address is wrong, check " + ModelCatalog.BaseUrlVariable + " (mirrors) or download the file yourself and use -ModelPath.", url);
            }

            // 206 continues the partial; 200 (the server ignored the range) starts again from zero.
            var resume = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent;
            if (resume && response.Content.Headers.ContentRange?.From != existing)
            {
                File.Delete(partialPath);
                throw new ModelDownloadException(
                    $"The server answered the resume request for {url} with a different range ({response.Content.Headers.ContentRange}); the partial download was dropped. Try again.", url);
            }
            var start = resume ? existing : 0;
            long? total = response.Content.Headers.ContentLength is long length ? start + length : null;
            var received = start;
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;

            FileStream file;
            try
            {
                file = new FileStream(partialPath, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new ModelCacheNotWritableException(cache.Directory, e);
            }

            await using (file.ConfigureAwait(false))
            {
                try
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (body.ConfigureAwait(false))
                    {
                        var buffer = new byte[1 << 16];
                        while (true)
                        {
                            int read;
                            using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                            {
                                stall.CancelAfter(StallTimeout);
                                try
                                {
                                    read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                                }
                                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                                {
                                    throw new IOException($"no data for {StallTimeout.TotalSeconds:0} s");
                                }
                            }
                            if (read == 0)
                            {
                                break;
                            }
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            received += read;
                            if (progress is not null && clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
                            {
                                lastReport = clock.Elapsed;
                                progress.Report(new DownloadProgress(received, total, Speed(received - start, clock)));
                            }
                        }
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw Truncated(url, received, total, e);
                }
            }
            if (total is long expected && received < expected)
            {
                throw Truncated(url, received, total, null);
            }
            progress?.Report(new DownloadProgress(received, total ?? received, Speed(received - start, clock)));
            return true;
        }
    }

    private static ModelDownloadException Truncated(Uri url, long received, long? total, Exception? inner) => new(
        $"The connection to {url.Host} ended after {received:N0}" + (total is long t ? $" of {t:N0}" : "") + " bytes" +
        (inner is null ? "" : $" ({inner.Message})") +
        ". What arrived is kept; run the command again to resume the download.", url, inner);

    private static double Speed(long bytes, Stopwatch clock) =>
        clock.Elapsed.TotalSeconds > 0 ? bytes / clock.Elapsed.TotalSeconds : 0;

    private void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(cache.Directory);
            var probe = Path.Combine(cache.Directory, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelCacheNotWritableException(cache.Directory, e);
        }
    }
}
