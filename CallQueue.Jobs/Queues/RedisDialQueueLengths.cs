using CallQueue.Jobs.Calls;
using StackExchange.Redis;

namespace CallQueue.Jobs.Queues;

/// <summary>
/// The dial queues' lengths on Hangfire's Redis storage: one LLEN per queue (what its monitoring API's EnqueuedCount
/// sends), pipelined in one round trip. <paramref name="hangfirePrefix"/> is the storage's key prefix.
/// </summary>
public sealed class RedisDialQueueLengths(IConnectionMultiplexer redis, string hangfirePrefix) : IDialQueueLengths
{
    private static readonly CallPriority[] Priorities = Enum.GetValues<CallPriority>();

    public async Task<DialQueueLengths> ReadAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var reads = Priorities.Select(priority => db.ListLengthAsync(hangfirePrefix + "queue:" + priority.ToWire())).ToArray();
        var lengths = await Task.WhenAll(reads);
        return new DialQueueLengths(Priorities.Zip(lengths).ToDictionary(pair => pair.First, pair => pair.Second));
    }
}
