using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CallQueue.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallQueue.Tests.Support;

/// <summary>
/// A stand-in for the voice-AI agent server: a real ASP.NET Core app on a free loopback port that records every
/// POST /start-call body (with when it came) and answers with <see cref="StartCallStatus"/>; GET /health answers 200.
/// </summary>
public sealed class FakeAgentServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<(TimeSpan At, JsonElement Body)> _startCalls = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private WebApplication? _app;
    private volatile int _startCallStatus = StatusCodes.Status200OK;

    private FakeAgentServer()
    {
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>, the AGENT_SERVER_URL to configure.</summary>
    private int _healthRequests;

    public string Url { get; private set; } = string.Empty;

    /// <summary>What /start-call answers (200 unless set).</summary>
    public int StartCallStatus
    {
        get => _startCallStatus;
        set => _startCallStatus = value;
    }

    /// <summary>Every /start-call body received, oldest first.</summary>
    public IReadOnlyList<JsonElement> StartCalls => [.. _startCalls.Select(call => call.Body)];

    /// <summary>When each /start-call came, since the server started.</summary>
    public IReadOnlyList<TimeSpan> StartCallTimes => [.. _startCalls.Select(call => call.At)];

    /// <summary>How many GET /health requests came.</summary>
    public int HealthRequests => Volatile.Read(ref _healthRequests);

    public static async Task<FakeAgentServer> StartAsync()
    {
        // A free port can be taken between finding and binding it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var server = new FakeAgentServer();
            try
            {
                await server.StartOnAsync(FreePort.Next());
                return server;
            }
            catch (IOException) when (attempt < 3)
            {
                await server.DisposeAsync();
            }
        }
    }

    private async Task StartOnAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        _app = app;
        app.MapPost("/start-call", async (HttpContext context) =>
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body);
            _startCalls.Enqueue((_clock.Elapsed, body));
            var status = StartCallStatus;
            return status < 300
                ? Results.Json(new { status = "started" }, statusCode: status)
                : Results.Text("agent is down", statusCode: status);
        });
        app.MapGet("/health", () =>
        {
            Interlocked.Increment(ref _healthRequests);
            return Results.Json(new { status = "healthy" });
        });
        Url = $"http://127.0.0.1:{port}";
        await app.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
