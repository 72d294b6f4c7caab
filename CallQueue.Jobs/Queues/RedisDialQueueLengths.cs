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
        var reads = Priorities.Select(priority => db.ListLengthAsync(QueueKey(hangfirePrefix, priority))).ToArray();
        return From(await Task.WhenAll(reads));
    }

    /// <summary>The list of <paramref name="priority"/>'s dial queue in Hangfire's Redis storage.</summary>
    public static string QueueKey(string hangfirePrefix, CallPriority priority) => hangfirePrefix + "queue:" + priority.ToWire();

    /// <summary>The lists of every dial queue, in the order <see cref="From"/> reads their lengths.</summary>
    public static IReadOnlyList<string> QueueKeys(string hangfirePrefix) => Priorities.Select(priority => QueueKey(hangfirePrefix, priority)).ToList();

    /// <summary>The lengths of <see cref="QueueKeys"/>' lists, in their order.</summary>
    public static DialQueueLengths From(IReadOnlyList<long> lengths)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        return new DialQueueLengths(Priorities.Zip(lengths).ToDictionary(pair => pair.First, pair => pair.Second));
    }
}
