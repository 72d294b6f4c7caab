using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// The call's life in one place (docs/lifecycle.md has the table): a pure function of a call record, an event and the
/// clock that returns the next record and the effects to carry out, or a refusal. No I/O: the adapters (dial job, Plivo
/// callbacks, reconciler, operators' commands, agent) read the call, apply the event through one compare-and-set
/// (<see cref="CallTransitions"/>) and carry out the effects once the write won. Every guard lives here, so a transition
/// that raced another writer is simply refused on the fresh record.
/// </summary>
public sealed partial class CallLifecycle(RetryPolicy retryPolicy, CallSafety? safety = null)
{
    /// <summary>The source of outcomes the dialer guessed itself (an unknown result); Plivo's word replaces them.</summary>
    public const string DialerSource = "dialer";

    public Transition Apply(CallRecord call, CallEvent callEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(callEvent);
        return callEvent switch
        {
            ClaimAttempt claim => Claim(call, claim, now),
            GiveBackAttempt giveBack => GiveBack(call, giveBack),
            MarkSending mark => MarkSent(call, mark, now),
            UnmarkSending unmark => UnmarkSent(call, unmark),
            PlivoAccepted accepted => Accept(call, accepted, now),
            FoundAtPlivo found => Adopt(call, found),
            DialFailed failed => FailDial(call, failed, now),
            ResultUnknown unknown => GiveUpUnknown(call, unknown, now),
            RingingReported ringing => Ring(call, ringing, now),
            MachineReported machine => RecordMachine(call, machine),
            HangupReported hangup => Settle(call, hangup, now),
            SeenLive => MarkLive(call),
            CancelCall cancel => Cancel(call, cancel),
            CancelUnconfirmed unconfirmed => Transition.To(call with { StatusReason = unconfirmed.Reason }),
            RequeueCall requeue => Requeue(call, requeue, now),
            AgentHandoffTried handoff => RecordHandoff(call, handoff, now),
            AgentResultPosted posted => Transition.To(call with { Result = posted.Result }),
            HoldCall hold => HoldWaiting(call, hold, now),
            StopCall stop => StopWaiting(call, stop, now),
            ParkCall park => Park(call, park),
            UnparkCall unpark => Unpark(call, unpark),
            CancelWaiting cancel => CancelNotDialed(call, cancel),
            _ => throw new ArgumentOutOfRangeException(nameof(callEvent), callEvent.GetType().Name, "Not an event of a call's lifecycle."),
        };
    }

    /// <summary>Claimed under a token, and its request never left (the run stopped before recording that it sends).</summary>
    public static bool WasNeverSent(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt is { ClaimToken: not null, SentAt: null, RequestUuid: null, CallUuid: null, Outcome: null };
    }

    /// <summary>An outcome the dialer guessed (unknown): Plivo's word replaces it when it comes.</summary>
    public static bool IsProvisional(CallAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Outcome == CallOutcome.Unknown && attempt.ResultSource == DialerSource;
    }

    private static Transition Claim(CallRecord call, ClaimAttempt claim, DateTimeOffset now)
    {
        if (call.Attempts.Count + 1 != claim.Number || call.Status.IsTerminal())
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var attempt = new CallAttempt { Number = claim.Number, StartedAt = now, JobId = claim.JobId, ClaimToken = claim.ClaimToken };
        return Transition.To(call with
        {
            Status = CallStatus.Dialing,
            NextAttemptAt = null,
            Hold = null,
            StatusReason = string.Create(CultureInfo.InvariantCulture, $"Dialing: attempt {claim.Number} of {call.AttemptBudget}"),
            Attempts = [.. call.Attempts, attempt],
        });
    }

    private static Transition GiveBack(CallRecord call, GiveBackAttempt giveBack)
    {
        if (call.LastAttempt is not { RequestUuid: null, CallUuid: null, Outcome: null } last
            || (last.SentAt is not null && !giveBack.MarkedByThisRun)
            || !IsSameClaim(last, giveBack.Claim))
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        return Transition.To(call with
        {
            Status = CallStatus.Queued,
            StatusReason = $"Attempt {last.Number} was not sent ({giveBack.Why}); waiting to dial",
            Attempts = call.Attempts.Take(call.Attempts.Count - 1).ToList(),
        });
    }

    private static Transition MarkSent(CallRecord call, MarkSending mark, DateTimeOffset now) =>
        call.LastAttempt is { SentAt: null, Outcome: null } last && IsSameClaim(last, mark.Claim)
            ? Transition.To(WithLastAttempt(call, last with { SentAt = now }))
            : Transition.Refused(RefusalKind.Stale);

    private static Transition UnmarkSent(CallRecord call, UnmarkSending unmark) =>
        call.LastAttempt is { RequestUuid: null, CallUuid: null, Outcome: null } last && IsSameClaim(last, unmark.Claim) && last.SentAt == unmark.SentAt
            ? Transition.To(WithLastAttempt(call, last with { SentAt = null }))
            : Transition.Refused(RefusalKind.Stale);

    private static Transition Accept(CallRecord call, PlivoAccepted accepted, DateTimeOffset now) =>
        Transition.To(
            call with
            {
                // A fast callback may have moved the call on already; then only the request's facts are added.
                StatusReason = call.Status == CallStatus.Dialing
                    ? $"Placed with Plivo ({accepted.Message ?? "accepted"}); waiting for the callee"
                    : call.StatusReason,
                Attempts = call.Attempts.Select(a => a.Number == accepted.Attempt
                    ? a with { RequestUuid = accepted.RequestUuid, AcceptedAt = now }
                    : a).ToList(),
            },
            new NotifyAgent(accepted.Attempt));

    private static Transition Adopt(CallRecord call, FoundAtPlivo found)
    {
        if (call.LastAttempt is not { RequestUuid: null, Outcome: null } last || last.Number != found.Attempt)
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var next = call with
        {
            Status = found.Live && call.Status == CallStatus.Dialing ? CallStatus.Ringing : call.Status,
            StatusReason = found.Reason,
            Attempts = call.Attempts.Select(a => a.Number == found.Attempt
                ? a with { RequestUuid = found.RequestUuid, CallUuid = found.CallUuid, AcceptedAt = found.AcceptedAt }
                : a).ToList(),
        };

        // A call found live or queued at Plivo holds a line and is handed to the agent like any placed call; one found
        // ended holds nothing, and the reconciler settles it from its call detail record.
        return found.Ended ? Transition.To(next) : Transition.To(next, new NotifyAgent(found.Attempt));
    }

    private Transition FailDial(CallRecord call, DialFailed failed, DateTimeOffset now)
    {
        var outcome = failed.Failure == DialFailure.NotSent ? CallOutcome.NetworkError : CallOutcome.ProviderError;
        if (failed.Failure == DialFailure.Rejected)
        {
            return EndAttempt(call, failed.Attempt, outcome, $"{failed.Error}. Not retried: fix the request or the account, then requeue.", CallStatus.Failed, retryIn: null, now);
        }

        if (retryPolicy.RetryIn(call, failed.Attempt, outcome, retryable: true, requestFailed: true) is not { } delay)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"{failed.Error} after {failed.Attempt} attempts");
            return EndAttempt(call, failed.Attempt, outcome, reason, CallStatus.Failed, retryIn: null, now);
        }

        var placed = PlaceRetry(call, delay, now);
        if (placed.Delay is not { } retryIn)
        {
            return EndAttempt(call, failed.Attempt, outcome, $"{failed.Error}; {placed.Expired}", CallStatus.Expired, retryIn: null, now);
        }

        var retryReason = string.Create(
            CultureInfo.InvariantCulture,
            $"{failed.Error} → retry in {RetryDelay.Describe(retryIn)}{(placed.Note is null ? string.Empty : $" ({placed.Note})")} (attempt {failed.Attempt + 1} of {call.AttemptBudget})");
        return EndAttempt(call, failed.Attempt, outcome, retryReason, CallStatus.Retry, retryIn, now);
    }

    private static Transition GiveUpUnknown(CallRecord call, ResultUnknown unknown, DateTimeOffset now) =>
        EndAttempt(call, unknown.Attempt, CallOutcome.Unknown, unknown.Reason, CallStatus.Unknown, retryIn: null, now);

    /// <summary>
    /// Ends attempt <paramref name="attemptNumber"/> with the dialer's own outcome, unless it already has one (Plivo's
    /// callbacks may have settled it meanwhile: their word stands).
    /// </summary>
    private static Transition EndAttempt(
        CallRecord call, int attemptNumber, CallOutcome outcome, string reason, CallStatus status, TimeSpan? retryIn, DateTimeOffset now)
    {
        if (call.LastAttempt is not { Outcome: null } last || last.Number != attemptNumber)
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var next = WithLastAttempt(call, last with { Outcome = outcome, Error = reason, EndedAt = now, ResultSource = DialerSource }) with
        {
            Status = status,
            StatusReason = reason,
            NextAttemptAt = now + retryIn,
        };
        var move = retryIn is { } delay
            ? new MoveJob(JobMove.Schedule, reason, delay)
            : status == CallStatus.Expired ? new MoveJob(JobMove.Delete, reason) : new MoveJob(JobMove.Fail, reason);
        return Transition.To(next, new ReleaseSlot(), new CountEnded(status, outcome), move);
    }

    private static Transition MarkLive(CallRecord call) =>
        call.Status is CallStatus.Dialing or CallStatus.Ringing
            ? Transition.To(call with { Status = CallStatus.InProgress, StatusReason = "In progress (seen live at Plivo)" })
            : Transition.Refused(RefusalKind.Stale);

    /// <summary>The record's last attempt is still <paramref name="claim"/>, under the same token (the fencing check).</summary>
    private static bool IsSameClaim(CallAttempt last, CallAttempt claim) => last.Number == claim.Number && last.ClaimToken == claim.ClaimToken;

    private static CallRecord WithLastAttempt(CallRecord call, CallAttempt last) =>
        call with { Attempts = [.. call.Attempts.Take(call.Attempts.Count - 1), last] };

    private static List<CallAttempt> Replace(IReadOnlyList<CallAttempt> attempts, CallAttempt updated) =>
        attempts.Select(a => a.Number == updated.Number ? updated : a).ToList();
}
