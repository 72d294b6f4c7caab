using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// Creates the one dial job of a stored call, in the Hangfire queue named after its priority (enqueued, or scheduled
/// for its scheduled_at), and records it on the call. Safe to repeat: if another job already owns the call, the new one
/// is deleted again, and a dial job that finds another owner does nothing.
/// </summary>
public sealed class DialJobFactory(IBackgroundJobClient jobs, ICallStore store, TimeProvider time)
{
    public async Task<string> CreateAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.JobId is not null)
        {
            return call.JobId;
        }

        var queue = call.Priority.ToWire();
        var job = Job.FromExpression<DialCallJob>(dial => dial.ExecuteAsync(call.CallId, null, CancellationToken.None), queue);
        IState state = call.ScheduledAt is { } at && at > time.GetUtcNow()
            ? new ScheduledState(at.UtcDateTime) { Reason = "Waiting for its scheduled_at" }
            : new EnqueuedState(queue) { Reason = "Queued" };
        var jobId = jobs.Create(job, state);
        var owner = await store.AssignJobAsync(call, jobId, cancellationToken);
        if (owner != jobId)
        {
            jobs.Delete(jobId);
        }

        return owner ?? jobId;
    }
}
