using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using FrameworkStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus;

namespace CallQueue.Api.Health;

/// <summary>
/// Health on the framework's health checks (one <see cref="IHealthCheck"/> per dependency), served three ways, all open:
/// <list type="bullet">
/// <item>GET /api/health: Redis, Plivo, the agent server (as the agent gate last saw it), the dial workers, the API
/// keys and webhook endpoints that answered 410 Gone, in the JSON of the seed's endpoint. 200 with "healthy" or "degraded" (e.g. "Agent server unreachable"), 503
/// "unhealthy" when calls cannot be accepted (Redis down).</item>
/// <item>GET /healthz/ready: readiness for load balancers and Kubernetes/Cloud Run probes: 503 while Redis is down.</item>
/// <item>GET /healthz/live: liveness: depends on nothing, so it fails only when the process cannot answer at all (wedged);
/// a restart would not bring Redis back.</item>
/// </list>
/// </summary>
public static class HealthApi
{
    public const string Path = "/api/health";
    public const string LivePath = "/healthz/live";
    public const string ReadyPath = "/healthz/ready";

    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    /// <summary>A check that takes longer fails (unhealthy), so a hung dependency never hangs a probe.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddCallQueueHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("redis", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<PlivoHealthCheck>("plivo", tags: [ReadyTag])
            .AddCheck<AgentGateHealthCheck>("agent_server", timeout: CheckTimeout)
            .AddCheck<DialWorkersHealthCheck>("workers", timeout: CheckTimeout)
            .AddCheck<ApiKeysHealthCheck>("api_keys")
            .Add(new HealthCheckRegistration("webhooks", WebhookHealthCheck.Create, failureStatus: null, tags: null, timeout: CheckTimeout))
            .AddCheck("process", () => HealthCheckResult.Healthy("answering"), tags: [LiveTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, HealthAsync).WithTags("Health").WithName("Health").AllowAnonymous();
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> HealthAsync(HealthCheckService health, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => !check.Tags.Contains(LiveTag), cancellationToken);
        var checks = report.Entries.ToDictionary(entry => entry.Key, entry => ToCheck(entry.Value), StringComparer.Ordinal);
        var status = ToStatus(report.Status);
        var warnings = checks.Values.Where(check => check.Warning is not null).Select(check => check.Warning!).ToList();
        var response = new HealthResponse(status.ToString().ToLowerInvariant(), status != HealthStatus.Unhealthy, time.GetUtcNow(), checks, warnings);
        return status == HealthStatus.Unhealthy
            ? TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(response);
    }

    private static HealthCheck ToCheck(HealthReportEntry entry) => new(
        ToStatus(entry.Status),
        entry.Description ?? entry.Exception?.Message ?? entry.Status.ToString(),
        entry.Data.TryGetValue(HealthResults.LatencyMs, out var latency) ? (double)latency : null,
        entry.Data.TryGetValue(HealthResults.Warning, out var warning) ? (string)warning : null);

    private static HealthStatus ToStatus(FrameworkStatus status) => status switch
    {
        FrameworkStatus.Healthy => HealthStatus.Healthy,
        FrameworkStatus.Degraded => HealthStatus.Degraded,
        _ => HealthStatus.Unhealthy,
    };
}
