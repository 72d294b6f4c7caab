using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Queues;

/// <summary>How many dial jobs wait in each priority's queue (<see cref="HangfireQueues.Dial"/>), read at one moment.</summary>
public sealed class DialQueueLengths(IReadOnlyDictionary<CallPriority, long> lengths)
{
    /// <summary>Jobs waiting in <paramref name="priority"/>'s own queue.</summary>
    public long Of(CallPriority priority) => lengths.GetValueOrDefault(priority);

    /// <summary>Jobs waiting in the queues fetched before <paramref name="priority"/>'s (strictly higher priorities).</summary>
    public long Ahead(CallPriority priority) => Enum.GetValues<CallPriority>().Where(higher => higher < priority).Sum(Of);
}
