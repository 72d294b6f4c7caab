using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Plivo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallQueue.Tests.Sandbox;

/// <summary>
/// A minimal ASP.NET Core app on a loopback port that mounts the Plivo sandbox and a callback receiver
/// (<c>/receiver/{kind}</c>, GET or POST; kind <c>fail</c> answers 500), plus a route that answers HTML errors.
/// </summary>
public sealed class SandboxTestHost : IAsyncDisposable
{
    public const string AuthId = "MATESTACCOUNT0000001";
    public const string AuthToken = "test-auth-token-0123456789";

    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;
    private readonly List<ServiceProvider> _clientProviders = [];

    private SandboxTestHost(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; }

    public PlivoSandbox Sandbox => _app.Services.GetRequiredService<PlivoSandbox>();

    public ConcurrentQueue<ReceivedCallback> Received { get; } = new();

    public static async Task<SandboxTestHost> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var configuration = new Dictionary<string, string?>
        {
            ["PLIVO_AUTH_ID"] = AuthId,
            ["PLIVO_AUTH_TOKEN"] = AuthToken,
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "1",
            ["SANDBOX_SEED"] = "42",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.Configure<PlivoOptions>(builder.Configuration);
        configureServices?.Invoke(builder.Services);
        builder.Services.AddPlivoSandbox(builder.Configuration);
        var app = builder.Build();
        app.MapPlivoSandbox();
        SandboxTestHost? host = null;
        app.MapMethods("/receiver/{kind}", ["GET", "POST"], async (HttpContext context, string kind) =>
        {
            var parameters = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync()).ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal)
                : context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
            var request = context.Request;
            host!.Received.Enqueue(new ReceivedCallback(
                kind,
                request.Method,
                $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
                parameters,
                request.Headers["X-Plivo-Signature-V3"].ToString(),
                request.Headers["X-Plivo-Signature-Ma-V3"].ToString(),
                request.Headers["X-Plivo-Signature-V3-Nonce"].ToString()));
            return kind == "fail" ? Results.StatusCode(500) : Results.Ok();
        });
        app.MapPost("/html/v1/Account/{authId}/Call/", () =>
            Results.Content("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: 502));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new SandboxTestHost(app, address.TrimEnd('/'));
        return host;
    }

    /// <summary>The real PlivoClient, registered with AddPlivoClient and pointed at the sandbox.</summary>
    public IPlivoClient CreateClient(Action<PlivoOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<PlivoOptions>(options =>
        {
            options.AuthId = AuthId;
            options.AuthToken = AuthToken;
            options.ApiUrl = BaseUrl + PlivoSandboxEndpoints.PlivoApiPath + "/";
            options.TimeoutSeconds = 10;
            configure?.Invoke(options);
        });
        services.AddPlivoClient();
        var provider = services.BuildServiceProvider();
        _clientProviders.Add(provider);
        return provider.GetRequiredService<IPlivoClient>();
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri(BaseUrl) };

    public string ReceiverUrl(string kind, string? query = null) =>
        $"{BaseUrl}/receiver/{kind}" + (query is null ? string.Empty : "?" + query);

    public MakeCallRequest NewCallRequest(string to, string? query = null) => new()
    {
        From = "14155550199",
        To = to,
        AnswerUrl = "https://agent.example.com/answer",
        RingUrl = ReceiverUrl("ring", query),
        HangupUrl = ReceiverUrl("hangup", query),
    };

    /// <summary>The received callback of <paramref name="kind"/> for a request, waiting up to 20 s.</summary>
    public Task<ReceivedCallback> WaitForCallbackAsync(string kind, string requestUuid) =>
        WaitForAsync(
            () => Received.FirstOrDefault(callback => callback.Kind == kind && callback.Get("RequestUUID") == requestUuid),
            $"{kind} callback of {requestUuid}");

    public static async Task<T> WaitForAsync<T>(Func<T?> probe, string what, TimeSpan? timeout = null)
        where T : class
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (stopwatch.Elapsed > (timeout ?? DefaultWait))
            {
                Assert.Fail($"Timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A loopback port nothing listens on (bound, read, released).</summary>
    public static int GetClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Reset()
    {
        Sandbox.Reset();
        Received.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _clientProviders)
        {
            await provider.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
