using CallQueue.Jobs.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallQueue.Jobs.Throttling;

public static class CapacityServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ICallCapacity"/> as a singleton: on Redis when REDIS_URL is set (over the dial side's shared
    /// connection, <see cref="RedisConnections.Dispatch"/>, or the default <see cref="IConnectionMultiplexer"/> where
    /// there is none; one must be registered, and REDIS_KEY_PREFIX), else in-process.
    /// </summary>
    public static IServiceCollection AddCallCapacity(this IServiceCollection services, RedisOptions redis)
    {
        ArgumentNullException.ThrowIfNull(redis);
        services.TryAddSingleton(TimeProvider.System);
        if (redis.IsConfigured)
        {
            services.AddSingleton<ICallCapacity>(provider => new RedisCallCapacity(
                provider.GetKeyedService<IConnectionMultiplexer>(RedisConnections.Dispatch) ?? provider.GetRequiredService<IConnectionMultiplexer>(),
                redis.KeyPrefix,
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<RedisCallCapacity>>()));
        }
        else
        {
            services.AddSingleton<ICallCapacity>(provider => new InMemoryCallCapacity(
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<InMemoryCallCapacity>>()));
        }

        return services;
    }
}
