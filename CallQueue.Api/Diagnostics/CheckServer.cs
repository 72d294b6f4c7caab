using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CallQueue.Api.Hosting;
using CallQueue.Jobs.Configuration;

namespace CallQueue.Api.Diagnostics;

/// <summary>
/// The service itself, started by the check for a few seconds: the configuration under test, plus overrides that keep
/// it to itself — Kestrel on a free 127.0.0.1 port, and its own Redis key prefix (<c>{REDIS_KEY_PREFIX}-check-{random}</c>,
/// deleted afterwards), so it never takes a job of the real queues and the real service never sees its test call.
/// Sandbox mode: the sandbox, its callbacks (PUBLIC_BASE_URL) and PLIVO_API_URL point at this server, with one dial
/// worker. Live mode: QUEUE_WORKERS=0, so it cannot dial anything; only its internal Hangfire server runs.
/// </summary>
internal sealed class CheckServer : IAsyncDisposable
{
    private const int PortAttempts = 3;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private bool _stopped;

    private CheckServer(WebApplication app, int port, string keyPrefix, bool sandbox)
    {
        _app = app;
        BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        KeyPrefix = keyPrefix;
        IsSandbox = sandbox;
    }

    public Uri BaseAddress { get; }

    /// <summary>The REDIS_KEY_PREFIX of this server: every key it writes starts with <c>{KeyPrefix}</c>.</summary>
    public string KeyPrefix { get; }

    public bool IsSandbox { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<CheckServer> StartAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var redis = context.Redis ?? new RedisOptions();
        var sandbox = context.Plivo!.IsSandbox;
        var keyPrefix = $"{redis.KeyPrefix}-check-{Guid.NewGuid().ToString("N")[..10]}";
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var baseUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            var overrides = new Dictionary<string, string?>
            {
                ["urls"] = baseUrl,
                ["HOST"] = "127.0.0.1",
                ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["REDIS_KEY_PREFIX"] = keyPrefix,
            };
            if (sandbox)
            {
                overrides["PUBLIC_BASE_URL"] = baseUrl;
                overrides["PLIVO_API_URL"] = baseUrl + "/sandbox/plivo";
                overrides["QUEUE_WORKERS"] = "1";
            }
            else
            {
                overrides["QUEUE_WORKERS"] = "0";
            }

            var app = CheckHost.Build(CheckHost.CreateBuilder(context.Args, overrides), context.Verbose);
            try
            {
                app.UseCallQueueApi();
                await app.StartAsync(cancellationToken);
                return new CheckServer(app, port, keyPrefix, sandbox);
            }
            catch (IOException) when (attempt < PortAttempts)
            {
                // Another process took the free port before Kestrel bound it: try another.
                await app.DisposeAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Stops gracefully (Hangfire finishes what it runs), so the prefix can be deleted afterwards.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Disposal below ends what is left.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
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
}
