using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NeuralStyle.Core.Tests.Models;

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (TcpListener, so it can misbehave on purpose):
/// serves <see cref="Content"/> at /<see cref="FileName"/>, honours "Range: bytes=N-" with 206,
/// and can cut the first responses short after announcing the full Content-Length.
/// </summary>
internal sealed class LoopbackModelServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly object gate = new();
    private readonly List<string?> rangeHeaders = [];

    public LoopbackModelServer(byte[] content, string fileName = "model.pth")
    {
        Content = content;
        FileName = fileName;
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public byte[] Content { get; set; }

    public string FileName { get; }

    /// <summary>The first N responses send half the body and close the connection.</summary>
    public int TruncateFirstResponses { get; set; }

    /// <summary>Answer 200 with the whole file even to a Range request.</summary>
    public bool IgnoreRange { get; set; }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public Uri FileUrl => new(BaseUrl, FileName);

    /// <summary>The Range header of each request so far (null when there was none).</summary>
    public IReadOnlyList<string?> RangeHeaders
    {
        get { lock (gate) return [.. rangeHeaders]; }
    }

    /// <summary>A loopback port with nothing listening (bound, then released).</summary>
    public static int UnusedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        try { await loop.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var served = 0;
        while (!stop.IsCancellationRequested)
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            try
            {
                await ServeAsync(client, truncate: served++ < TruncateFirstResponses).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The client hung up: fine for a test server.
            }
        }
    }

    private async Task ServeAsync(TcpClient client, bool truncate)
    {
        var stream = client.GetStream();
        var (path, range) = await ReadRequestAsync(stream).ConfigureAwait(false);
        lock (gate) rangeHeaders.Add(range);

        var content = Content;
        if (path != "/" + FileName)
        {
            await WriteHeadAsync(stream, "404 Not Found", 0, null).ConfigureAwait(false);
            return;
        }
        long start = 0;
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            start = long.Parse(range["bytes=".Length..^1], CultureInfo.InvariantCulture);
            if (start >= content.Length)
            {
                await WriteHeadAsync(stream, "416 Range Not Satisfiable", 0, $"Content-Range: bytes */{content.Length}").ConfigureAwait(false);
                return;
            }
        }
        else
        {
            start = 0;
        }
        var length = content.Length - start;
        var status = start > 0 ? "206 Partial Content" : "200 OK";
        var extra = start > 0 ? $"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}" : null;
        await WriteHeadAsync(stream, status, length, extra).ConfigureAwait(false);
        var send = truncate ? length / 2 : length;
        await stream.WriteAsync(content.AsMemory((int)start, (int)send)).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
        if (truncate)
        {
            // Close without sending the rest: the client sees the connection end before Content-Length.
            client.Client.Shutdown(SocketShutdown.Both);
        }
    }

    private static async Task<(string Path, string? Range)> ReadRequestAsync(NetworkStream stream)
    {
        var header = new StringBuilder();
        var one = new byte[1];
        // Bounded: a request head is small; stop at the blank line or 16 KB.
        while (header.Length < 16384 && !header.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one).ConfigureAwait(false) == 0) break;
            header.Append((char)one[0]);
        }
        var lines = header.ToString().Split("\r\n");
        var path = lines[0].Split(' ') is { Length: >= 2 } parts ? parts[1] : "/";
        var range = lines.Skip(1)
            .Where(l => l.StartsWith("Range:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Range:".Length..].Trim())
            .FirstOrDefault();
        return (path, range);
    }

    private static async Task WriteHeadAsync(NetworkStream stream, string status, long length, string? extra)
    {
        var head = $"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nContent-Type: application/octet-stream\r\nAccept-Ranges: bytes\r\nConnection: close\r\n"
            + (extra is null ? "" : extra + "\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head)).ConfigureAwait(false);
    }
}
