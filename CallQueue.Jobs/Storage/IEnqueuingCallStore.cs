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
    /// <paramref name="job"/>'s) with <paramref name="job"/>, Enqueued; or nothing at all when a field of
    /// <paramref name="guard"/> exists (the result is <see cref="EnqueueResult.Stopped"/>) or when the call's id or
    /// idempotency key is taken. One atomic step: nothing can slip in between the guard's reads and the write.
    /// </summary>
    Task<EnqueueResult> CreateEnqueuedAsync(CallRecord record, EnqueuedJobWrite job, EnqueueGuard guard, CancellationToken cancellationToken);
}
