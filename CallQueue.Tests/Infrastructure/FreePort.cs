using System.Net;
using System.Net.Sockets;

namespace CallQueue.Tests.Infrastructure;

/// <summary>Finds TCP ports on 127.0.0.1 that nothing is listening on.</summary>
public static class FreePort
{
    /// <summary>
    /// A port that was free a moment ago. Another process can take it before the caller binds it,
    /// so callers that start servers retry on a new port when the bind fails (see <see cref="RedisServer.StartNewAsync"/>).
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>A free port other than <paramref name="taken"/> (for a second port of the same server).</summary>
    public static int NextExcept(int taken)
    {
        while (true)
        {
            var port = Next();
            if (port != taken)
            {
                return port;
            }
        }
    }
}
