using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Hosting;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Operations;

/// <summary>
/// GET /metrics for Prometheus: the counters and dial latency of <see cref="Jobs.Operations.CallQueueMetrics"/>, and
/// gauges read at scrape time (call slots, caps, achieved rate, Hangfire queue lengths). Open like /api/health: it is
/// for the operators' Prometheus and carries no call data.
/// </summary>
public static class MetricsApi
{
    public const string Path = "/metrics";
    private static readonly TimeSpan AchievedRateWindow = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddCallQueueMetrics(this IServiceCollection services) => services.AddSingleton<PrometheusExporter>();

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Listening starts with the app, not at the first scrape.
        app.ServiceProvider.GetRequiredService<PrometheusExporter>();
        app.MapGet(Path, ScrapeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ScrapeAsync(
        PrometheusExporter exporter, ICallCapacity capacity, JobStorage storage, IOptions<QueueOptions> queue, CancellationToken cancellationToken)
    {
        var options = queue.Value;
        var slots = await capacity.CountSlotsAsync(cancellationToken);
        var grants = await capacity.CountGrantsAsync(AchievedRateWindow, cancellationToken);
        var monitoring = storage.GetMonitoringApi();
        var gauges = new List<PrometheusExporter.Gauge>
        {
            new("callqueue_active_calls", "Calls holding a call slot (dialing, ringing or in progress) across the cluster", [(string.Empty, slots)]),
            new("callqueue_max_concurrent_calls", "MAX_CONCURRENT_CALLS", [(string.Empty, options.MaxConcurrentCalls)]),
            new("callqueue_rate_limit_per_second", "RATE_LIMIT_PER_SECOND", [(string.Empty, options.RateLimitPerSecond)]),
            new("callqueue_achieved_rate_per_second", "Create-call requests per second over the last minute", [(string.Empty, grants / AchievedRateWindow.TotalSeconds)]),
            new(
                "callqueue_queue_length",
                "Dial jobs waiting in each priority queue",
                HangfireQueues.Dial.Select(name => (PrometheusExporter.Labels("priority", name), (double)monitoring.EnqueuedCount(name))).ToList()),
        };
        return Results.Text(exporter.Render(gauges), "text/plain; version=0.0.4; charset=utf-8");
    }
}
