using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>
/// The seed's <c>queue_position</c> and <c>estimated_execution</c> for a call being queued (issue 12, item 3).
/// <para>
/// <b>Position</b>: the dial jobs waiting ahead of the call, plus one. Dial queues are fetched strictly by priority
/// (<see cref="Jobs.Queues.HangfireQueues.Dial"/>), FIFO within one, so what is ahead is every job enqueued in the
/// call's own priority queue and in each higher one, counted just before the call's own job is created (Hangfire's
/// <c>EnqueuedCount</c>: one LLEN per queue on Redis). Jobs that are scheduled (retries, held or future calls) are not
/// counted: they are not waiting in a queue now.
/// </para>
/// <para>
/// <b>Estimated execution</b>: <c>max(not before, now + position / effective rate)</c>, where "not before" is the call's
/// <c>scheduled_at</c> or the opening of a callee-safety hold, and the effective rate is RATE_LIMIT_PER_SECOND /
/// <see cref="DialRate.SafetyFactor"/> (what the cluster-wide limiter grants at most). It assumes the rate is the bound
/// (not MAX_CONCURRENT_CALLS, a paused agent gate or other calls' holds), and for a scheduled or held call that the
/// backlog ahead of it is what it is now.
/// </para>
/// A blocked call (do-not-call list) is never dialed: neither value. Computed before the call is stored, so a Redis
/// failure here answers 503 with nothing queued.
/// </summary>
public sealed class QueuePositionEstimator(JobStorage storage, IOptions<QueueOptions> queue)
{
    /// <summary>Position and estimate of <paramref name="call"/> (validated and checked, not stored yet) at <paramref name="now"/>.</summary>
    public QueueEstimate Estimate(CallRecord call, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Status.IsTerminal())
        {
            return new QueueEstimate(null, null);
        }

        var monitoring = storage.GetMonitoringApi();
        var ahead = HangfireQueues.EnqueuedAhead(monitoring, call.Priority) + monitoring.EnqueuedCount(call.Priority.ToWire());
        var position = ahead + 1;
        var byRate = now + TimeSpan.FromSeconds(position / DialRate.EffectivePerSecond(queue.Value.RateLimitPerSecond));
        var notBefore = call.Hold?.Until ?? call.ScheduledAt;
        return new QueueEstimate(position, notBefore > byRate ? notBefore : byRate);
    }
}
