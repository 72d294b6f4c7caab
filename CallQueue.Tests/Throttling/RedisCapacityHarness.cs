using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace CallQueue.Tests.Throttling;

/// <summary>
/// <see cref="RedisCallCapacity"/> instances on the shared redis-server under one fresh key prefix. Each
/// <see cref="NewProcessAsync"/> gets its own connection, as a separate process would; their waits time out on
/// <c>clock</c> (default: the system clock).
/// </summary>
internal sealed class RedisCapacityHarness(TimeProvider? clock = null) : IAsyncDisposable
{
    private readonly List<ConnectionMultiplexer> _connections = [];
    private readonly List<RedisCallCapacity> _capacities = [];

    public string Prefix { get; } = SharedRedis.NewKeyPrefix();

    /// <summary>A key of the documented schema, e.g. <c>Key("slots")</c> = <c>{prefix}:slots</c>.</summary>
    public RedisKey Key(string name) => "{" + Prefix + "}:" + name;

    public async Task<IDatabase> ConnectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection.GetDatabase();
    }

    public async Task<RedisCallCapacity> NewProcessAsync()
    {
        var database = await ConnectAsync();
        var capacity = new RedisCallCapacity(database.Multiplexer, Prefix, clock ?? TimeProvider.System, NullLogger.Instance);
        lock (_connections)
        {
            _capacities.Add(capacity);
        }

        return capacity;
    }

    public async Task<RedisCallCapacity[]> NewProcessesAsync(int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => NewProcessAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var capacity in _capacities)
        {
            capacity.Dispose();
        }

        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
