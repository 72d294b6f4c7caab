using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using CallQueue.Jobs.Webhooks;
using Hangfire;
using Microsoft.Extensions.Options;
using Prometheus;
using Prometheus.HttpClientMetrics;
using StackExchange.Redis;

namespace CallQueue.Api.Operations;

/// <summary>
/// GET /metrics for Prometheus, served by prometheus-net from this app's own registry (several apps in one process, as
/// in the tests, never see each other's series): the counters and dial latency of
/// <see cref="Jobs.Operations.CallQueueMetrics"/>, gauges read at scrape time (call slots, caps, achieved rate, queue
/// lengths, Hangfire's counts), HTTP server requests by route and status, HttpClient requests by client (Plivo, agent),
/// and the process and .NET runtime (GC, thread pool queue length: the limiter's waits depend on it). Open like
/// /api/health: it is for the operators' Prometheus and carries no call data.
/// </summary>
public static partial class MetricsApi
{
    public const string Path = "/metrics";

    private static readonly TimeSpan AchievedRateWindow = TimeSpan.FromSeconds(60);

    public static IServiceCollection AddCallQueueMetrics(this IServiceCollection services)
    {
        var registry = Metrics.NewCustomRegistry();
        services.AddSingleton(registry);
        services.AddSingleton(_ => new CallQueueMeterBridge(registry));
        services.AddSingleton(_ => new RuntimeMetrics(registry));

        // Every HttpClient from the factory, labelled by client name (IPlivoClient, NotifyAgentJob, agent-health, …).
        var clients = new HttpClientExporterOptions();
        clients.InProgress.Registry = registry;
        clients.RequestCount.Registry = registry;
        clients.RequestDuration.Registry = registry;
        clients.ResponseDuration.Registry = registry;
        services.UseHttpClientMetrics(clients);
        return services;
    }

    /// <summary>HTTP request count and duration by route (endpoint), method and status code; after routing, before the endpoints.</summary>
    public static IApplicationBuilder UseCallQueueHttpMetrics(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.ApplicationServices.GetRequiredService<CollectorRegistry>();
        return app.UseHttpMetrics(options => options.SetMetricFactory(Metrics.WithCustomRegistry(registry)));
    }

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var services = app.ServiceProvider;
        var registry = services.GetRequiredService<CollectorRegistry>();

        // Listening starts with the app, not at the first scrape.
        services.GetRequiredService<CallQueueMeterBridge>();
        services.GetRequiredService<RuntimeMetrics>();
        AddScrapeTimeGauges(registry, services);
        app.MapMetrics(Path, registry).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Gauges read when Prometheus scrapes: a PING and a few Redis reads (slots, grants, queue lengths, Hangfire's
    /// statistics, the webhook outbox's backlog), so nothing is polled between scrapes. While the storage does not
    /// answer, the scrape still succeeds (the HTTP and runtime series matter most then): <c>callqueue_storage_up</c> is 0
    /// and the gauges read from it are NaN (a gap in Grafana), never a stale value.
    /// </summary>
    private static void AddScrapeTimeGauges(CollectorRegistry registry, IServiceProvider services)
    {
        var metrics = Metrics.WithCustomRegistry(registry);
        var activeCalls = metrics.CreateGauge("callqueue_active_calls", "Calls holding a call slot (dialing, ringing or in progress) across the cluster");
        var maxConcurrent = metrics.CreateGauge("callqueue_max_concurrent_calls", "MAX_CONCURRENT_CALLS");
        var rateLimit = metrics.CreateGauge("callqueue_rate_limit_per_second", "RATE_LIMIT_PER_SECOND");
        var achievedRate = metrics.CreateGauge("callqueue_achieved_rate_per_second", "Create-call requests per second over the last minute");
        var queueLength = metrics.CreateGauge("callqueue_queue_length", "Dial jobs waiting in each priority queue", "priority");
        var enqueued = metrics.CreateGauge("callqueue_hangfire_enqueued_jobs", "Hangfire jobs waiting in each queue (priorities and internal)", "queue");
        var processing = metrics.CreateGauge("callqueue_hangfire_processing_jobs", "Hangfire jobs being performed");
        var scheduled = metrics.CreateGauge("callqueue_hangfire_scheduled_jobs", "Hangfire jobs scheduled (retries, parked calls, waits)");
        var failed = metrics.CreateGauge("callqueue_hangfire_failed_jobs", "Hangfire jobs in the Failed state (calls that need a person)");
        var retries = metrics.CreateGauge("callqueue_hangfire_retry_jobs", "Hangfire jobs waiting for an automatic retry");
        var servers = metrics.CreateGauge("callqueue_hangfire_servers", "Hangfire servers with a heartbeat (dial and internal, every process)");
        var storageUp = metrics.CreateGauge("callqueue_storage_up", "1 when Redis (or the in-memory store) answered at this scrape, else 0");
        var storagePing = metrics.CreateGauge("callqueue_storage_ping_seconds", "Round trip of one PING to Redis at this scrape");
        var webhookBacklog = metrics.CreateGauge("callqueue_webhook_outbox_pending", "Webhook events not delivered or given up yet (the outbox backlog)");
        Gauge[] fromStorage = [activeCalls, achievedRate, processing, scheduled, failed, retries, servers, storagePing, webhookBacklog];

        var store = services.GetRequiredService<ICallStore>();
        var capacity = services.GetRequiredService<ICallCapacity>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MetricsApi).FullName!);
        var storage = services.GetRequiredService<JobStorage>();
        var outbox = services.GetService<IWebhookOutbox>();
        var queue = services.GetRequiredService<IOptions<QueueOptions>>().Value;
        string[] queues = [.. HangfireQueues.Dial, HangfireQueues.InternalQueue];
        registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            maxConcurrent.Set(queue.MaxConcurrentCalls);
            rateLimit.Set(queue.RateLimitPerSecond);
            try
            {
                storagePing.Set((await store.PingAsync(cancellationToken)).TotalSeconds);
                activeCalls.Set(await capacity.CountSlotsAsync(cancellationToken));
                achievedRate.Set(await capacity.CountGrantsAsync(AchievedRateWindow, cancellationToken) / AchievedRateWindow.TotalSeconds);

                var monitoring = storage.GetMonitoringApi();
                foreach (var name in queues)
                {
                    var length = monitoring.EnqueuedCount(name);
                    enqueued.WithLabels(name).Set(length);
                    if (HangfireQueues.Dial.Contains(name))
                    {
                        queueLength.WithLabels(name).Set(length);
                    }
                }

                var statistics = monitoring.GetStatistics();
                processing.Set(statistics.Processing);
                scheduled.Set(statistics.Scheduled);
                failed.Set(statistics.Failed);
                retries.Set(statistics.Retries ?? 0);
                servers.Set(statistics.Servers);
                webhookBacklog.Set(outbox is null ? double.NaN : await outbox.CountPendingAsync(cancellationToken));
                storageUp.Set(1);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                LogStorageUnavailable(logger, ex.Message);
                storageUp.Set(0);
                foreach (var gauge in fromStorage)
                {
                    gauge.Set(double.NaN);
                }

                foreach (var name in queues)
                {
                    enqueued.WithLabels(name).Set(double.NaN);
                }

                foreach (var name in HangfireQueues.Dial)
                {
                    queueLength.WithLabels(name).Set(double.NaN);
                }
            }
        });
    }

    [LoggerMessage(9201, LogLevel.Warning, "/metrics: storage unavailable, its gauges are NaN this scrape: {Reason}")]
    private static partial void LogStorageUnavailable(ILogger logger, string reason);
}
