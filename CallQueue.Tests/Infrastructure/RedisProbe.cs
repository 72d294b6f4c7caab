using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallQueue.Tests.Infrastructure;

/// <summary>
/// The readiness checks of <see cref="RedisServer"/> and <see cref="RedisCluster"/>: raw RESP exchanges, independent of
/// any client library.
/// </summary>
internal static class RedisProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    /// <summary>Sends PING and CONFIG GET dir over a raw connection.</summary>
    /// <returns>The raw reply, or null when nothing listens yet.</returns>
    public static async Task<string?> PingAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient();
        var reply = new StringBuilder();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\nCONFIG GET dir\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[4096];
            // Complete: +PONG, then *2 $3 dir $n <path>, or an error line after PONG.
            while (reply.ToString().Split("\r\n").Length < 7 && !reply.ToString().Contains("\r\n-", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                reply.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            return reply.ToString();
        }
        catch (SocketException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return reply.ToString();
        }
        catch (IOException)
        {
            return reply.ToString();
        }
    }

    /// <summary>Sends CLUSTER INFO over a raw connection.</summary>
    /// <returns>The info text (<c>cluster_state:ok</c>, …), an error line (<c>-ERR …</c>), or null when nothing answers.</returns>
    public static async Task<string?> ClusterInfoAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var client = new TcpClient();
        var reply = new List<byte>();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("CLUSTER INFO\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[4096];
            while (true)
            {
                if (BulkString(reply) is { } complete)
                {
                    return complete;
                }

                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return null;
                }

                reply.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    // "$<length>\r\n<bytes>\r\n" once all of it arrived; any other reply as its first line.
    private static string? BulkString(List<byte> reply)
    {
        var bytes = reply.ToArray();
        var header = Array.IndexOf(bytes, (byte)'\n');
        if (header < 0)
        {
            return null;
        }

        var first = Encoding.UTF8.GetString(bytes, 0, header).TrimEnd('\r');
        if (!first.StartsWith('$') || !int.TryParse(first.AsSpan(1), out var length))
        {
            return first;
        }

        return bytes.Length >= header + 1 + length ? Encoding.UTF8.GetString(bytes, header + 1, length) : null;
    }
}
