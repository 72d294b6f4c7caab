using CallQueue.Api.Security;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Hosting;
using CallQueue.Jobs.Storage;
using Hangfire;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallQueue.Api.Health;

/// <summary>
/// GET /api/health: Redis, Plivo, the agent server and the dial workers. 200 with "healthy" or "degraded"
/// (e.g. "Agent server unreachable"), 503 "unhealthy" when calls cannot be accepted (Redis down). Always open.
/// </summary>
public static class HealthApi
{
    public const string AgentHttpClient = "agent-health";
    private static readonly TimeSpan HeartbeatFreshness = TimeSpan.FromMinutes(1);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", HealthAsync).WithTags("Health").WithName("Health").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> HealthAsync(
        ICallStore store,
        JobStorage storage,
        IHttpClientFactory httpClients,
        IOptions<RedisOptions> redis,
        IOptions<PlivoOptions> plivo,
        IOptions<AgentOptions> agent,
        IOptions<ApiKeyOptions> apiKeys,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var checks = new Dictionary<string, HealthCheck>
        {
            ["redis"] = await CheckStorageAsync(store, redis.Value, cancellationToken),
            ["plivo"] = CheckPlivo(plivo.Value),
            ["agent_server"] = await CheckAgentAsync(httpClients, agent.Value, cancellationToken),
            ["workers"] = CheckWorkers(storage, time),
            ["api_keys"] = apiKeys.Value.HealthCheck(),
        };
        var status = checks.Values.Any(check => check.Status == HealthStatus.Unhealthy) ? HealthStatus.Unhealthy
            : checks.Values.Any(check => check.Status == HealthStatus.Degraded) ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        var warnings = checks.Values.Where(check => check.Warning is not null).Select(check => check.Warning!).ToList();
        var report = new HealthResponse(status.ToString().ToLowerInvariant(), status != HealthStatus.Unhealthy, time.GetUtcNow(), checks, warnings);
        return status == HealthStatus.Unhealthy
            ? TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(report);
    }

    private static async Task<HealthCheck> CheckStorageAsync(ICallStore store, RedisOptions redis, CancellationToken cancellationToken)
    {
        if (!redis.IsConfigured)
        {
            return new HealthCheck(HealthStatus.Healthy, "in-memory storage (development): calls are lost on restart", null,
                "REDIS_URL is not set: calls are kept in memory and lost on restart");
        }

        try
        {
            var latency = await store.PingAsync(cancellationToken);
            return new HealthCheck(HealthStatus.Healthy, $"connected to {RedisUrl.Redact(redis.Url!)}", Math.Round(latency.TotalMilliseconds, 2));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheck(HealthStatus.Unhealthy, $"Redis connection failed: {ex.Message}", null);
        }
    }

    private static HealthCheck CheckPlivo(PlivoOptions plivo) => plivo.IsSandbox
        ? new HealthCheck(HealthStatus.Healthy, $"sandbox at {plivo.ApiUrl}: nobody is really called", null,
            "Plivo sandbox: no Plivo credentials are set, calls go to the built-in simulator")
        : new HealthCheck(HealthStatus.Healthy, $"live account {plivo.AuthId} via {plivo.ApiUrl ?? PlivoOptions.DefaultApiUrl}", null);

    private static async Task<HealthCheck> CheckAgentAsync(IHttpClientFactory httpClients, AgentOptions agent, CancellationToken cancellationToken)
    {
        if (!agent.IsConfigured)
        {
            return new HealthCheck(HealthStatus.Healthy, "not configured: answered calls are not handed to an agent server", null,
                "AGENT_SERVER_URL is not set: no agent gate and no /start-call notifications");
        }

        var url = agent.ServerUrl!.TrimEnd('/') + "/health";
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            using var response = await httpClients.CreateClient(AgentHttpClient).GetAsync(new Uri(url), cancellationToken);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            return response.IsSuccessStatusCode
                ? new HealthCheck(HealthStatus.Healthy, $"{url} answered {(int)response.StatusCode}", Math.Round(elapsed.TotalMilliseconds, 2))
                : new HealthCheck(HealthStatus.Degraded, $"Agent server unreachable: {url} answered {(int)response.StatusCode}", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return new HealthCheck(HealthStatus.Degraded, $"Agent server unreachable: {url} ({ex.Message})", null);
        }
    }

    private static HealthCheck CheckWorkers(JobStorage storage, TimeProvider time)
    {
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var dial = storage.GetMonitoringApi().Servers()
                .Where(server => server.Queues.Contains(HangfireQueues.Dial[0]) && now - (server.Heartbeat ?? server.StartedAt) < HeartbeatFreshness)
                .ToList();
            return dial.Count == 0
                ? new HealthCheck(HealthStatus.Degraded, "No dial workers are running: queued calls wait", null)
                : new HealthCheck(HealthStatus.Healthy, $"{dial.Sum(server => server.WorkersCount)} dial workers on {dial.Count} server(s)", null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheck(HealthStatus.Unhealthy, $"Redis connection failed: {ex.Message}", null);
        }
    }
}
