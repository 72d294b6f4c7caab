using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Callee safety (issue 11): holds and stops of waiting calls, and retries placed inside calling hours and deadlines.</summary>
public sealed partial class CallLifecycle
{
    /// <summary>Decisions kept on a call (the newest).</summary>
    public const int MaxDecisions = 20;

    /// <summary>The record of <paramref name="call"/> with <paramref name="decision"/> added to its decisions.</summary>
    public static CallRecord WithDecision(CallRecord call, SafetyDecision decision)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call with { Decisions = [.. (call.Decisions ?? []).TakeLast(MaxDecisions - 1), decision] };
    }

    private static bool IsWaiting(CallRecord call) => call.Status is CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry;

    private static Transition HoldWaiting(CallRecord call, HoldCall hold, DateTimeOffset now)
    {
        if (!IsWaiting(call) || call.LastAttempt is { Outcome: null })
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var held = WithDecision(call, new SafetyDecision(now, hold.Rule, hold.Reason)) with
        {
            Status = CallStatus.Scheduled,
            StatusReason = hold.Reason,
            NextAttemptAt = hold.Until,
            Hold = new CallHold(hold.Rule, hold.Until),
        };
        var wait = hold.Until - now;
        return Transition.To(held, new MoveJob(JobMove.Schedule, hold.Reason, wait > TimeSpan.Zero ? wait : TimeSpan.Zero));
    }

    private static Transition StopWaiting(CallRecord call, StopCall stop, DateTimeOffset now)
    {
        if (!IsWaiting(call) || call.LastAttempt is { Outcome: null })
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        if (!stop.FinalStatus.IsTerminal())
        {
            throw new ArgumentOutOfRangeException(nameof(stop), stop.FinalStatus, "A stop ends the call.");
        }

        var stopped = WithDecision(call, new SafetyDecision(now, stop.Rule, stop.Reason)) with
        {
            Status = stop.FinalStatus,
            StatusReason = stop.Reason,
            NextAttemptAt = null,
            Hold = null,
        };

        // Failed goes to a person (requeue once fixed); expired and blocked are decisions, not faults: the job is deleted.
        // Counted by the safety metrics, not as a failed attempt: none was made.
        var move = stop.FinalStatus == CallStatus.Failed ? new MoveJob(JobMove.Fail, stop.Reason) : new MoveJob(JobMove.Delete, stop.Reason);
        return Transition.To(stopped, move);
    }

    /// <summary>
    /// Where a retry due after <paramref name="delay"/> goes: the same delay, moved to the next opening of the call's
    /// calling hours, or nowhere when that falls at or past its deadline (then the call expires).
    /// </summary>
    private RetryPlacement PlaceRetry(CallRecord call, TimeSpan delay, DateTimeOffset now)
    {
        var due = now + delay;
        if (call.ExpiresAt is { } deadline && due >= deadline)
        {
            return RetryPlacement.PastDeadline(
                string.Create(CultureInfo.InvariantCulture, $"not retried: its next try (in {RetryDelay.Describe(delay)}) would fall after its expires_at ({CallSafety.Format(deadline)})"));
        }

        if (safety?.RetryAt(call, due) is not { } at)
        {
            return safety is null
                ? new RetryPlacement(delay, null, null)
                : RetryPlacement.PastDeadline($"not retried: its calling hours do not open again before its expires_at ({CallSafety.Format(call.ExpiresAt ?? due)})");
        }

        return at > due
            ? new RetryPlacement(at - now, $"moved to the next opening of its calling hours, {CallSafety.Format(at)}", null)
            : new RetryPlacement(delay, null, null);
    }

    private readonly record struct RetryPlacement(TimeSpan? Delay, string? Note, string? Expired)
    {
        public static RetryPlacement PastDeadline(string why) => new(null, null, why);
    }
}
