using StackExchange.Redis;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// What the single enqueue (<see cref="IEnqueuingCallStore"/>) checks and reads in the same atomic step as its write, so a
/// request is one round trip to Redis (issue 15): the hash fields that must all be absent for the write to happen, and the
/// lists whose lengths are read just before the call's job is pushed. The store does not know what they mean; the caller
/// does (<see cref="Ingest.EnqueueChecks"/>: an entry of the number on the do-not-call list, a state recorded for the call's
/// campaign or batch; the dial queues), and when a field is there it checks its own way and writes its own way.
/// </summary>
/// <param name="AbsentFields">Hash and field, each of which must not exist.</param>
/// <param name="CountedLists">Lists whose lengths the result gives, in this order.</param>
public sealed record EnqueueGuard(IReadOnlyList<(RedisKey Hash, RedisValue Field)> AbsentFields, IReadOnlyList<RedisKey> CountedLists)
{
    /// <summary>Nothing checked, nothing counted.</summary>
    public static EnqueueGuard None { get; } = new([], []);
}
