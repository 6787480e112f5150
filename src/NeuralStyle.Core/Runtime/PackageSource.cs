using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using NeuralStyle.Core.Models;

namespace NeuralStyle.Core.Runtime;

/// <summary>A package id and exact version, as NuGet names them.</summary>
public readonly record struct PackageIdentity(string Id, string Version)
{
    public string FileName => $"{Id.ToLowerInvariant()}.{Version.ToLowerInvariant()}.nupkg";

    public override string ToString() => $"{Id} {Version}";
}

/// <summary>
/// Where runtime packages come from: a NuGet v3 feed (service index → PackageBaseAddress for the
/// .nupkg, RegistrationsBaseUrl → catalog leaf for its published SHA-512) or a folder in NuGet's
/// hierarchical layout (&lt;id&gt;/&lt;version&gt;/&lt;id&gt;.&lt;version&gt;.nupkg with its .nupkg.sha512,
/// as in a feed folder or a machine's ~/.nuget/packages).
/// </summary>
internal abstract class PackageSource
{
    public abstract string Description { get; }

    /// <summary>The SHA-512 (base64) the source publishes for the package.</summary>
    public abstract Task<string> GetSha512Async(PackageIdentity package, CancellationToken cancellationToken);

    /// <summary>Brings the package into <paramref name="partialPath"/>, continuing what is already there.</summary>
    public abstract Task FetchAsync(PackageIdentity package, string partialPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken);

    public static PackageSource Open(string source, HttpClient http)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return new FeedSource(uri, http);
        }
        var folder = Path.GetFullPath(uri is { IsFile: true } ? uri.LocalPath : source);
        if (!Directory.Exists(folder))
        {
            throw new RuntimeInstallException(RuntimeInstallFailure.SourceUnreachable,
                $"The package source folder '{folder}' does not exist. Pass -Source a NuGet v3 feed URL (e.g. https://api.nuget.org/v3/index.json) or a folder with the packages.", folder);
        }
        return new FolderSource(folder);
    }

    private sealed class FolderSource(string folder) : PackageSource
    {
        public override string Description => folder;

        private string PathOf(PackageIdentity p) => Path.Combine(folder, p.Id.ToLowerInvariant(), p.Version.ToLowerInvariant(), p.FileName);

        public override async Task<string> GetSha512Async(PackageIdentity package, CancellationToken cancellationToken)
        {
            var path = PathOf(package);
            if (!File.Exists(path))
            {
                throw new RuntimeInstallException(RuntimeInstallFailure.PackageNotFound,
                    $"The package {package} is not in the folder '{folder}' (looked for '{path}').", package.Id);
            }
            var sidecar = path + ".sha512";
            if (!File.Exists(sidecar))
            {
                throw new RuntimeInstallException(RuntimeInstallFailure.PackageHashMismatch,
                    $"'{path}' has no '{Path.GetFileName(sidecar)}' beside it, so it cannot be verified. Use a folder NuGet restored into (it writes one), or a feed URL.", path);
            }
            return (await File.ReadAllTextAsync(sidecar, cancellationToken).ConfigureAwait(false)).Trim();
        }

        public override async Task FetchAsync(PackageIdentity package, string partialPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            var from = new FileStream(PathOf(package), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            await using (from.ConfigureAwait(false))
            {
                var to = new FileStream(partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (to.ConfigureAwait(false))
                {
                    await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
                }
            }
            progress?.Report(new DownloadProgress(new FileInfo(partialPath).Length, new FileInfo(partialPath).Length, 0));
        }
    }

    private sealed class FeedSource(Uri index, HttpClient http) : PackageSource
    {
        private (Uri Packages, Uri Registrations)? resources;

        public override string Description => index.ToString();

        public override async Task<string> GetSha512Async(PackageIdentity package, CancellationToken cancellationToken)
        {
            var (_, registrations) = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
            var leaf = new Uri(registrations, $"{package.Id.ToLowerInvariant()}/{package.Version.ToLowerInvariant()}.json");
            using var leafJson = await GetJsonAsync(leaf, package, cancellationToken).ConfigureAwait(false);
            var catalogEntry = leafJson.RootElement.TryGetProperty("catalogEntry", out var entry) && entry.ValueKind == JsonValueKind.String
                ? new Uri(entry.GetString()!)
                : throw Malformed(leaf, "has no catalogEntry");
            using var catalog = await GetJsonAsync(catalogEntry, package, cancellationToken).ConfigureAwait(false);
            var root = catalog.RootElement;
            if (!root.TryGetProperty("packageHash", out var hash) || !root.TryGetProperty("packageHashAlgorithm", out var algorithm)
                || !string.Equals(algorithm.GetString(), "SHA512", StringComparison.OrdinalIgnoreCase))
            {
                throw Malformed(catalogEntry, "publishes no SHA512 packageHash");
            }
            return hash.GetString()!;
        }

        public override async Task FetchAsync(PackageIdentity package, string partialPath, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            var (packages, _) = await ResourcesAsync(cancellationToken).ConfigureAwait(false);
            var url = new Uri(packages, $"{package.Id.ToLowerInvariant()}/{package.Version.ToLowerInvariant()}/{package.FileName}");
            var existing = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (existing > 0)
            {
                request.Headers.Range = new RangeHeaderValue(existing, null);
            }
            using var response = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw NotFound(package, url);
            }
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                File.Delete(partialPath);
                throw new RuntimeInstallException(RuntimeInstallFailure.Interrupted, $"The server refused to resume {url}; the partial download was dropped.", url.ToString());
            }
            EnsureSuccess(response, url);
            // 206 continues the partial; 200 (the server ignored the range) starts again from zero.
            var resume = existing > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == existing;
            var start = resume ? existing : 0;
            long? total = response.Content.Headers.ContentLength is long length ? start + length : null;
            var received = start;
            var clock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            var file = new FileStream(partialPath, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                try
                {
                    var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    await using (body.ConfigureAwait(false))
                    {
                        var buffer = new byte[1 << 16];
                        int read;
                        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                            received += read;
                            if (progress is not null && clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(200))
                            {
                                lastReport = clock.Elapsed;
                                progress.Report(new DownloadProgress(received, total, (received - start) / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
                            }
                        }
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
                {
                    throw Cut(url, received, total, e);
                }
            }
            if (total is long expected && received < expected)
            {
                throw Cut(url, received, total, null);
            }
            progress?.Report(new DownloadProgress(received, total ?? received, (received - start) / Math.Max(clock.Elapsed.TotalSeconds, 1e-3)));
        }

        private async Task<(Uri Packages, Uri Registrations)> ResourcesAsync(CancellationToken cancellationToken)
        {
            if (resources is { } known)
            {
                return known;
            }
            using var json = await GetJsonAsync(index, null, cancellationToken).ConfigureAwait(false);
            var byType = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
            if (json.RootElement.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var resource in list.EnumerateArray())
                {
                    if (resource.TryGetProperty("@type", out var type) && type.ValueKind == JsonValueKind.String
                        && resource.TryGetProperty("@id", out var id) && Uri.TryCreate(id.GetString(), UriKind.Absolute, out var address))
                    {
                        byType.TryAdd(type.GetString()!, WithSlash(address));
                    }
                }
            }
            Uri Pick(params string[] types) => types.Select(t => byType.GetValueOrDefault(t)).FirstOrDefault(u => u is not null)
                ?? throw Malformed(index, $"lists no {types[0]} resource");
            resources = (Pick("PackageBaseAddress/3.0.0"), Pick("RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl"));
            return resources.Value;
        }

        private async Task<JsonDocument> GetJsonAsync(Uri url, PackageIdentity? package, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await SendAsync(request, url, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && package is { } p)
            {
                throw NotFound(p, url);
            }
            EnsureSuccess(response, url);
            try
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            catch (JsonException e)
            {
                throw Malformed(url, $"is not JSON ({e.Message})");
            }
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, Uri url, CancellationToken cancellationToken)
        {
            try
            {
                return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or SocketException || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new RuntimeInstallException(RuntimeInstallFailure.SourceUnreachable,
                    $"Could not reach the package source {url.GetLeftPart(UriPartial.Authority)} ({e.Message}). " +
                    "Connect to the internet and run the same command again (what was downloaded so far is kept and resumes), " +
                    "or pass -Source a reachable NuGet v3 feed (a mirror's index.json) or a folder that holds the packages " +
                    $"(e.g. ~/.nuget/packages on a machine that restored TorchSharp-cpu {RuntimeVersions.TorchSharp}).", index.ToString(), e);
            }
        }

        private static void EnsureSuccess(HttpResponseMessage response, Uri url)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new RuntimeInstallException(RuntimeInstallFailure.SourceUnreachable,
                    $"The package source answered {(int)response.StatusCode} {response.ReasonPhrase} for {url}. Try again later, or pass -Source another feed or a folder.", url.ToString());
            }
        }

        private RuntimeInstallException NotFound(PackageIdentity package, Uri url) => new(RuntimeInstallFailure.PackageNotFound,
            $"The package source {index} has no package {package} ({url} answered 404). A runtime needs every one of its parts; use a feed that mirrors them all (the default is https://api.nuget.org/v3/index.json).", package.Id);

        private static RuntimeInstallException Malformed(Uri url, string what) => new(RuntimeInstallFailure.SourceUnreachable,
            $"{url} {what}: it is not a NuGet v3 feed this installer can use. Pass -Source a NuGet v3 service index (…/v3/index.json) or a folder.", url.ToString());

        private static RuntimeInstallException Cut(Uri url, long received, long? total, Exception? inner) => new(RuntimeInstallFailure.Interrupted,
            $"The download of {url} stopped after {received:N0}" + (total is long t ? $" of {t:N0}" : "") + " bytes" +
            (inner is null ? "" : $" ({inner.Message})") + ". What arrived is kept; run the same command again to resume.", url.ToString(), inner);

        private static Uri WithSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
    }
}
