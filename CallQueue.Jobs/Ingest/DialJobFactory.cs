using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// Creates the one dial job of a stored call, in the Hangfire queue named after its priority (enqueued, scheduled for its
/// scheduled_at, or — a call held by a callee-safety rule — scheduled once for the end of its hold, with the hold's
/// reason), and records it on the call. A call stored ended (blocked at queue time) gets none. Safe to repeat: if another
/// job already owns the call, the new one is deleted again, and a dial job that finds another owner does nothing.
/// </summary>
public sealed class DialJobFactory(IBackgroundJobClient jobs, ICallStore store, TimeProvider time)
{
    /// <summary>The call's dial job id; null for an ended call, which is never dialed.</summary>
    public async Task<string?> CreateAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.JobId is not null)
        {
            return call.JobId;
        }

        if (call.Status.IsTerminal())
        {
            return null;
        }

        // DialAsync, not ExecuteAsync: the call id alone keeps the job's Redis hash compact (DialCallJob.DialAsync says why).
        var job = Job.FromExpression<DialCallJob>(dial => dial.DialAsync(call.CallId), call.Priority.ToWire());
        var jobId = jobs.Create(job, InitialState(call, time.GetUtcNow()));
        var owner = await store.AssignJobAsync(call, jobId, cancellationToken);
        if (owner != jobId)
        {
            jobs.Delete(jobId);
        }

        return owner ?? jobId;
    }

    /// <summary>
    /// Whether <see cref="CreateAsync"/> would give <paramref name="call"/> an Enqueued dial job now (not a Scheduled one,
    /// and not none): the calls whose job <see cref="IEnqueuingCallStore"/> may write together with the call.
    /// </summary>
    public static bool EnqueuesNow(CallRecord call, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.JobId is null && !call.Status.IsTerminal() && InitialState(call, now) is EnqueuedState;
    }

    // The state a new dial job of a call that is not ended starts in: Scheduled for the end of its hold or its
    // scheduled_at, else Enqueued in its priority's queue.
    private static IState InitialState(CallRecord call, DateTimeOffset now) => call switch
    {
        { Hold: not null, NextAttemptAt: { } until } when until > now =>
            new ScheduledState(until.UtcDateTime) { Reason = call.StatusReason ?? "Held until " + until.ToString("O", CultureInfo.InvariantCulture) },
        { ScheduledAt: { } at } when at > now => new ScheduledState(at.UtcDateTime) { Reason = "Waiting for its scheduled_at" },
        // No reason: "Enqueued" says it, and a reason is one more field in the job's state hash for every queued call
        // (issue 15: 16 bytes each).
        _ => new EnqueuedState(call.Priority.ToWire()),
    };
}
