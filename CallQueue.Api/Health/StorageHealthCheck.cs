using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallQueue.Api.Health;

/// <summary>Redis (or the in-memory development store) answers a PING; unhealthy when it does not: calls cannot be accepted.</summary>
internal sealed class StorageHealthCheck(ICallStore store, IOptions<RedisOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var redis = options.Value;
        if (!redis.IsConfigured)
        {
            return HealthResults.Healthy("in-memory storage (development): calls are lost on restart", warning:
                "REDIS_URL is not set: calls are kept in memory and lost on restart");
        }

        try
        {
            var latency = await store.PingAsync(cancellationToken);
            return HealthResults.Healthy($"connected to {RedisUrl.Redact(redis.Url!)}", latency.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthResults.Unhealthy($"Redis connection failed: {ex.Message}");
        }
    }
}
