using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>
/// The seed's <c>queue_position</c> and <c>estimated_execution</c> for a call being queued (issue 12, item 3).
/// <para>
/// <b>Position</b>: the dial jobs waiting ahead of the call, plus one. Dial queues are fetched strictly by priority
/// (<see cref="Jobs.Queues.HangfireQueues.Dial"/>), FIFO within one, so what is ahead is every job enqueued in the
/// call's own priority queue and in each higher one, counted just before the call's own job is created (Hangfire's
/// <c>EnqueuedCount</c>: one LLEN per queue on Redis, pipelined, <see cref="IDialQueueLengths"/>). Jobs that are scheduled (retries, held or future calls) are not
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
public sealed class QueuePositionEstimator(IDialQueueLengths queues, IOptions<QueueOptions> queue)
{
    /// <summary>The queues' lengths now: read while the call is checked (one round trip with the do-not-call lookup).</summary>
    public Task<DialQueueLengths> ReadQueuesAsync(CancellationToken cancellationToken) => queues.ReadAsync(cancellationToken);

    /// <summary>
    /// Position and estimate of <paramref name="call"/> (validated and checked, not stored yet) at <paramref name="now"/>,
    /// behind the jobs in <paramref name="lengths"/>.
    /// </summary>
    public QueueEstimate Estimate(CallRecord call, DialQueueLengths lengths, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(lengths);
        if (call.Status.IsTerminal())
        {
            return new QueueEstimate(null, null);
        }

        var position = lengths.Ahead(call.Priority) + lengths.Of(call.Priority) + 1;
        var byRate = now + TimeSpan.FromSeconds(position / DialRate.EffectivePerSecond(queue.Value.RateLimitPerSecond));
        var notBefore = call.Hold?.Until ?? call.ScheduledAt;
        return new QueueEstimate(position, notBefore > byRate ? notBefore : byRate);
    }
}
