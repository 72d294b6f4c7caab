using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallQueue.Tests.Infrastructure;

/// <summary>The readiness check of <see cref="RedisServer"/>: a raw RESP exchange, independent of any client library.</summary>
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
}
