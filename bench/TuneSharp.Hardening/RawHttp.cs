using System.Net.Sockets;
using System.Text;

namespace TuneSharp.Hardening;

/// <summary>
/// HTTP/1.1 over a bare socket, so that requests can be as broken as an attacker makes them: any bytes, a body
/// shorter than its Content-Length, a client that hangs up halfway through a stream.
/// </summary>
public static class RawHttp
{
    /// <summary>A response: the status (0 when the server closed without one) and the body as text.</summary>
    public sealed record Response(int Status, string Body);

    /// <summary>A well-formed request with <paramref name="body"/> (Connection: close).</summary>
    public static byte[] Request(string method, string path, byte[]? body, string? apiKey, string contentType = "application/json")
    {
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if (apiKey is not null) head.Append($"Authorization: Bearer {apiKey}\r\n");
        if (body is not null) head.Append($"Content-Type: {contentType}\r\nContent-Length: {body.Length}\r\n");
        head.Append("\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>Sends <paramref name="bytes"/> and reads the whole response until the server closes.</summary>
    public static async Task<Response> SendAsync(Uri server, byte[] bytes, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cts.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        try { await stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false); }
        catch (IOException) { } // the server may answer (413, 400) and close before reading everything
        var buffer = new MemoryStream();
        try { await stream.CopyToAsync(buffer, cts.Token).ConfigureAwait(false); }
        catch (IOException) { }
        return Parse(buffer.ToArray());
    }

    /// <summary>Sends <paramref name="bytes"/>, reads until <paramref name="readBytes"/> bytes came back (or none are asked), then hangs up.</summary>
    public static async Task<int> SendAndHangUpAsync(Uri server, byte[] bytes, int readBytes, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, cts.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
        var buffer = new byte[4096];
        int total = 0;
        try
        {
            while (total < readBytes)
            {
                int n = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
            }
        }
        catch (IOException) { }
        client.Client.LingerState = new LingerOption(true, 0); // a reset, as a killed client sends
        return total;
    }

    static Response Parse(byte[] raw)
    {
        var prefix = Encoding.ASCII.GetString(raw, 0, Math.Min(raw.Length, 12));
        if (!prefix.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || raw.Length < 12) return new Response(0, Encoding.UTF8.GetString(raw));
        int status = int.Parse(prefix.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        int split = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (split < 0) return new Response(status, "");
        var head = Encoding.ASCII.GetString(raw, 0, split);
        var body = raw.AsSpan(split + 4);
        bool chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        return new Response(status, Encoding.UTF8.GetString(chunked ? Unchunk(body) : body));
    }

    // Chunk sizes count bytes, so the body is reassembled before it is decoded.
    static byte[] Unchunk(ReadOnlySpan<byte> body)
    {
        var result = new MemoryStream();
        while (body.Length > 0)
        {
            int eol = body.IndexOf("\r\n"u8);
            if (eol < 0) break;
            var sizeText = Encoding.ASCII.GetString(body[..eol]).Split(';')[0].Trim();
            if (!int.TryParse(sizeText, System.Globalization.NumberStyles.HexNumber, null, out int size) || size == 0) break;
            body = body[(eol + 2)..];
            result.Write(body[..Math.Min(size, body.Length)]);
            body = body[Math.Min(size + 2, body.Length)..];
        }
        return result.ToArray();
    }
}
