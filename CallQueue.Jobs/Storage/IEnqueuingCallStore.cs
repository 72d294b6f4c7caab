using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// A store that writes a call to be dialed now together with its Enqueued dial job, in one atomic step (issue 15: the
/// single enqueue; <see cref="RedisCallStore"/> with Hangfire's Redis storage). Without it the call is stored first and
/// its job created after (<see cref="Ingest.DialJobFactory"/>): two more round trips, and a window in which the call has
/// no job yet (closed by the sweep).
/// </summary>
public interface IEnqueuingCallStore
{
    /// <summary>Whether this store can (it knows where the job storage's keys are).</summary>
    bool CanEnqueue { get; }

    /// <summary>
    /// Stores <paramref name="record"/> (one that <see cref="Ingest.DialJobFactory.EnqueuesNow"/>, its job id
    /// <paramref name="job"/>'s) with <paramref name="job"/>, Enqueued; or — when its id or idempotency key is taken —
    /// nothing at all.
    /// </summary>
    Task<CreateCallResult> CreateEnqueuedAsync(CallRecord record, EnqueuedJobWrite job, CancellationToken cancellationToken);
}
