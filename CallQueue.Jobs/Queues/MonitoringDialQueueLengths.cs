using CallQueue.Jobs.Calls;
using Hangfire;

namespace CallQueue.Jobs.Queues;

/// <summary>The dial queues' lengths from Hangfire's monitoring API: the in-memory storage, which answers without I/O.</summary>
public sealed class MonitoringDialQueueLengths(JobStorage storage) : IDialQueueLengths
{
    public Task<DialQueueLengths> ReadAsync(CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        return Task.FromResult(new DialQueueLengths(Enum.GetValues<CallPriority>().ToDictionary(priority => priority, priority => monitoring.EnqueuedCount(priority.ToWire()))));
    }
}
