using System.Globalization;

namespace CallQueue.Api.Configuration;

/// <summary>Where the HTTP server listens (the seed's HOST and PORT).</summary>
public sealed class ServerOptions
{
    public const int DefaultPort = 8000;

    /// <summary>HOST: interface to listen on. Default 0.0.0.0 (all); the dashboard stays protected either way.</summary>
    [ConfigurationKeyName("HOST")]
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>PORT: HTTP port. Default 8000 (Cloud Run sets it).</summary>
    [ConfigurationKeyName("PORT")]
    public int Port { get; set; } = DefaultPort;

    public string ListenUrl => string.Create(CultureInfo.InvariantCulture, $"http://{Host}:{Port}");

    /// <summary>The app's own address as seen from this machine: the default PUBLIC_BASE_URL in development.</summary>
    public string LocalUrl => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}");
}
