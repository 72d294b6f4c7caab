using CallQueue.Jobs.Queues;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CallQueue.Api.Health;

/// <summary>Dial workers with a fresh heartbeat anywhere in the cluster; degraded when there are none (queued calls wait).</summary>
internal sealed class DialWorkersHealthCheck(JobStorage storage, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan HeartbeatFreshness = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            var dial = storage.GetMonitoringApi().Servers()
                .Where(server => server.Queues.Contains(HangfireQueues.Dial[0]) && now - (server.Heartbeat ?? server.StartedAt) < HeartbeatFreshness)
                .ToList();
            return Task.FromResult(dial.Count == 0
                ? HealthResults.Degraded("No dial workers are running: queued calls wait")
                : HealthResults.Healthy($"{dial.Sum(server => server.WorkersCount)} dial workers on {dial.Count} server(s)"));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Task.FromResult(HealthResults.Unhealthy($"Redis connection failed: {ex.Message}"));
        }
    }
}
