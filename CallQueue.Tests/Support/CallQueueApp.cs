using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CallQueue.Tests.Support;

/// <summary>
/// The whole service, really started: Kestrel on a free loopback port (so the built-in Plivo sandbox is reached over
/// HTTP by the real Plivo client and calls back over HTTP), Hangfire servers, and either a real redis-server (with a
/// key prefix of its own) or the in-memory development defaults.
/// </summary>
public sealed class CallQueueApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    private CallQueueApp(Dictionary<string, string?> settings, int port)
    {
        _settings = settings;
        Port = port;
        UseKestrel(port);
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string KeyPrefix => _settings.GetValueOrDefault("REDIS_KEY_PREFIX") ?? "callqueue";

    public static JsonSerializerOptions Json { get; } = CallJson.Configure(new JsonSerializerOptions());

    /// <summary>An app on the shared redis-server with its own key prefix; <paramref name="settings"/> override the defaults.</summary>
    public static CallQueueApp WithRedis(IDictionary<string, string?>? settings = null, string? redisUrl = null) =>
        Create(settings, new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redisUrl ?? SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = "t" + Guid.NewGuid().ToString("N")[..12],
        });

    /// <summary>An app on the development defaults: Hangfire.InMemory and in-memory call records.</summary>
    public static CallQueueApp InMemory(IDictionary<string, string?>? settings = null) =>
        Create(settings, new Dictionary<string, string?> { ["REDIS_URL"] = string.Empty });

    private static CallQueueApp Create(IDictionary<string, string?>? overrides, Dictionary<string, string?> storage)
    {
        var port = FreePort.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Hangfire"] = "Warning",
            ["LOG_FILE"] = string.Empty, // in-process hosts log to the console only (LogFileTests runs a real process)
            ["HOST"] = "127.0.0.1",
            ["PORT"] = port.ToString(),
            ["PUBLIC_BASE_URL"] = $"http://127.0.0.1:{port}",
            ["QUEUE_WORKERS"] = "4",
            ["SCHEDULE_POLLING_SECONDS"] = "1",
            ["PROVIDER_RETRY_DELAY_SECONDS"] = "1",
            ["RETRY_DELAY_SECONDS"] = "1",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "1",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["AGENT_SERVER_URL"] = string.Empty,
            ["PLIVO_AUTH_ID"] = string.Empty,
            ["PLIVO_AUTH_TOKEN"] = string.Empty,
            ["PLIVO_NUMBER"] = string.Empty,
            ["PLIVO_MODE"] = string.Empty,
            ["API_KEYS"] = string.Empty,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty, // tracing off unless a test turns it on
            ["DASHBOARD_USERNAME"] = string.Empty,
            ["DASHBOARD_PASSWORD"] = string.Empty,
        };
        foreach (var (key, value) in SafetyDefaults.Off)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in storage)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = new CallQueueApp(settings, port);
        app.StartServer();
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_settings.GetValueOrDefault("ASPNETCORE_ENVIRONMENT") ?? "Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client for the real server (not the in-memory test server).</summary>
    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Reads the call over HTTP until <paramref name="done"/> holds or the deadline passes; returns the last read.</summary>
    public async Task<CallRecord> WaitForCallAsync(string callId, Func<CallRecord, bool> done, TimeSpan? timeout = null)
    {
        using var client = Client();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        CallRecord? call = null;
        while (DateTime.UtcNow < deadline)
        {
            call = await client.GetFromJsonAsync<CallRecord>($"/api/calls/{callId}", Json);
            if (call is not null && done(call))
            {
                return call;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Call {callId} did not reach the expected state in time; last seen: {JsonSerializer.Serialize(call, Json)}");
        throw new InvalidOperationException("unreachable");
    }
}
