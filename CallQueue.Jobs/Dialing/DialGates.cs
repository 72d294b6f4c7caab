using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// What a dial worker passes before it may send a request (DESIGN.md §4): the agent gate and a call slot (a lease,
/// cluster-wide) before it claims an attempt, then a rate token right before the request leaves. Each wait is bounded and happens in the worker, woken when a slot frees; when a wait
/// runs out the call rejoins the tail of its queue (<see cref="DialWaitException"/>), using no attempt.
/// </summary>
public sealed class DialGates(ICallCapacity capacity, AgentGate agent, IOptions<QueueOptions> options, TimeProvider time)
{
    // Plivo's own ring timeout when a call does not set one (reference §2).
    public const int PlivoDefaultRingTimeoutSeconds = 120;

    private static readonly TimeSpan LeaseGrace = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan AgentRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SlotRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RateWaitLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WaiterRefresh = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Returns once the agent is healthy and the call holds a slot; throws <see cref="DialWaitException"/> when a wait
    /// ran out. The caller owns the slot from then on and must release it if no request is sent.
    /// </summary>
    public async Task EnterAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var queue = options.Value;
        if (!await agent.WaitUntilOpenAsync(TimeSpan.FromSeconds(queue.AgentWaitSeconds), cancellationToken))
        {
            throw new DialWaitException($"{agent.State.Reason}: dialing paused, waiting for the agent", AgentRetryDelay);
        }

        await AcquireSlotAsync(call, queue, cancellationToken);
    }

    /// <summary>How long a call's slot is leased: its ring timeout plus its time limit plus a margin.</summary>
    public TimeSpan LeaseFor(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var ring = call.Config.RingTimeout ?? PlivoDefaultRingTimeoutSeconds;
        var talk = call.Config.MaxDuration ?? options.Value.DefaultMaxDurationSeconds;
        return TimeSpan.FromSeconds(ring + talk) + LeaseGrace;
    }

    private async Task AcquireSlotAsync(CallRecord call, QueueOptions queue, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var deadline = started + TimeSpan.FromSeconds(queue.SlotWaitSeconds);
        var order = QueueOrder(call.Priority, started);
        try
        {
            while (true)
            {
                var slot = await capacity.TryAcquireSlotAsync(call.CallId, queue.MaxConcurrentCalls, LeaseFor(call), order, cancellationToken);
                if (slot.Acquired)
                {
                    return;
                }

                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    await capacity.LeaveSlotQueueAsync(call.CallId, CancellationToken.None);
                    throw new DialWaitException(
                        string.Create(CultureInfo.InvariantCulture, $"Waiting for a call slot ({slot.Active} of {queue.MaxConcurrentCalls} in use)"),
                        SlotRetryDelay);
                }

                // Woken as soon as a slot frees anywhere; asking again at least this often keeps the place in line.
                await capacity.WaitForFreedSlotAsync(remaining < WaiterRefresh ? remaining : WaiterRefresh, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            await capacity.LeaveSlotQueueAsync(call.CallId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Strict priority first (urgent before low), then first come, first served.</summary>
    private static double QueueOrder(CallPriority priority, DateTimeOffset waitingSince) =>
        ((int)priority * 1e13) + waitingSince.ToUnixTimeMilliseconds();

    /// <summary>
    /// How long after its grant a request may still leave. A worker stalled longer (a GC pause, a starved thread pool)
    /// takes a new grant instead of sending late, so the spacing Plivo sees stays the spacing granted, give or take this
    /// much (<see cref="RateSchedule"/> keeps a margin for it).
    /// </summary>
    public static readonly TimeSpan SendDeadline = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Waits for a rate token; call it right before the request is sent, so that the spacing Plivo sees is the spacing
    /// granted. Returns the grant's timestamp (<see cref="TimeProvider.GetTimestamp"/>) for <see cref="IsStillFresh"/>.
    /// Throws <see cref="DialWaitException"/> when the (sub-second in practice) wait would exceed its bound.
    /// </summary>
    public async Task<long> TakeRateTokenAsync(CancellationToken cancellationToken)
    {
        var queue = options.Value;
        var deadline = time.GetUtcNow() + RateWaitLimit;
        while (true)
        {
            var wait = await capacity.TryTakeRateTokenAsync(queue.RateLimitPerSecond, cancellationToken);
            if (wait <= TimeSpan.Zero)
            {
                return time.GetTimestamp();
            }

            if (time.GetUtcNow() + wait > deadline)
            {
                throw new DialWaitException(
                    string.Create(CultureInfo.InvariantCulture, $"Rate limited ({queue.RateLimitPerSecond} calls per second)"),
                    SlotRetryDelay);
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <summary>The grant taken at <paramref name="grantedAt"/> may still be used: at most <see cref="SendDeadline"/> ago.</summary>
    public bool IsStillFresh(long grantedAt) => time.GetElapsedTime(grantedAt) <= SendDeadline;
}
