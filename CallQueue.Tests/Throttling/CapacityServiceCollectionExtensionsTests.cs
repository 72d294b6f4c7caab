using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CallQueue.Tests.Throttling;

[TestFixture]
public sealed class CapacityServiceCollectionExtensionsTests
{
    [Test]
    public async Task AddCallCapacity_RedisConfigured_ResolvesRedisOnSharedMultiplexer()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        var services = new ServiceCollection().AddLogging().AddSingleton<IConnectionMultiplexer>(redis);

        services.AddCallCapacity(new RedisOptions { Url = SharedRedis.Server.Url, KeyPrefix = SharedRedis.NewKeyPrefix() });

        await using var provider = services.BuildServiceProvider();
        var capacity = provider.GetRequiredService<ICallCapacity>();
        Assert.That(capacity, Is.TypeOf<RedisCallCapacity>());
        Assert.That(provider.GetRequiredService<ICallCapacity>(), Is.SameAs(capacity));
    }

    [Test]
    public async Task AddCallCapacity_NoRedis_ResolvesInMemory()
    {
        var services = new ServiceCollection().AddLogging();

        services.AddCallCapacity(new RedisOptions());

        await using var provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<ICallCapacity>(), Is.TypeOf<InMemoryCallCapacity>());
    }
}
