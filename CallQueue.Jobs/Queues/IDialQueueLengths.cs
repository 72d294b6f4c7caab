namespace CallQueue.Jobs.Queues;

/// <summary>
/// Reads the dial queues' lengths without blocking a thread: Hangfire's monitoring API answers synchronously, one
/// round trip per queue, which the single enqueue (queue_position) and the campaign ETA paid in turn (issue 15).
/// </summary>
public interface IDialQueueLengths
{
    Task<DialQueueLengths> ReadAsync(CancellationToken cancellationToken);
}
