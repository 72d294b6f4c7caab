using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>What people and the agent do to a call: cancel, requeue, the agent's hand-over and result.</summary>
public sealed partial class CallLifecycle
{
    /// <summary>The call's status_reason right after an operator's requeue.</summary>
    public const string RequeuedReason = "Requeued by operator";

    public const string CompletedRefusal = "Call already completed: not dialed again";

    private const int MaxNotes = 50;

    /// <summary>
    /// Null when an operator may requeue <paramref name="call"/>, else why not, in an operator's words. Only a call that
    /// ended without being answered (failed, unknown or cancelled) and holds no open attempt is dialed again.
    /// </summary>
    public static string? RequeueRefusal(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return call.Status switch
        {
            CallStatus.Completed => CompletedRefusal,
            CallStatus.Failed or CallStatus.Unknown or CallStatus.Cancelled when call.LastAttempt is { Outcome: null } last =>
                string.Create(CultureInfo.InvariantCulture, $"Call is {call.Status.ToWire()} but its attempt {last.Number} has not ended at Plivo yet: requeue it once its hangup is recorded"),
            CallStatus.Failed or CallStatus.Unknown or CallStatus.Cancelled => null,
            CallStatus.Expired => "Call is expired: its expires_at has passed, so a requeue would expire it again; queue a new call with a later expires_at",
            CallStatus.Blocked => "Call is blocked: its number is on the do-not-call list; it is never dialed (remove the entry with DELETE /api/dnc/{phone_number} and queue a new call if the person asked to be called)",
            CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry => $"Call is {call.Status.ToWire()}: it is waiting to be dialed already",
            _ => $"Call is {call.Status.ToWire()}: it is being dialed right now",
        };
    }

    private static Transition Cancel(CallRecord call, CancelCall cancel)
    {
        switch (call.Status)
        {
            case CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry:
                // A worker that fetched the job meanwhile finds the call cancelled and does nothing.
                return Transition.To(Cancelled(call, cancel.Reason), new MoveJob(JobMove.Delete, cancel.Reason));
            case CallStatus.Dialing or CallStatus.Ringing when call.LastAttempt is { Outcome: null, RequestUuid: not null } placed:
                // Placed and not answered: cancelled here first, so no retry follows; its hangup (cause 1000) settles the attempt.
                return Transition.To(Cancelled(call, cancel.Reason), new CancelAtPlivo(placed));
            case CallStatus.Dialing or CallStatus.Ringing:
                // Claimed, request to Plivo not answered yet: cancelling now could not stop the call Plivo is about to place.
                return Transition.Refused(RefusalKind.InFlight, $"Call {call.CallId} is being dialed right now; try again in a moment.");
            default:
                return Transition.Refused(
                    RefusalKind.NotAllowed,
                    $"Call {call.CallId} is {call.Status.ToWire()}: only queued, scheduled, retry, dialing or ringing calls can be cancelled.");
        }
    }

    private static CallRecord Cancelled(CallRecord call, string reason) =>
        call with { Status = CallStatus.Cancelled, StatusReason = reason, NextAttemptAt = null, Hold = null };

    private static Transition Requeue(CallRecord call, RequeueCall requeue, DateTimeOffset now)
    {
        if (requeue.ByJob is { } jobId && ((call.JobId is not null && call.JobId != jobId) || !call.Status.IsTerminal()))
        {
            return Transition.Refused(RefusalKind.LeftAlone);
        }

        if (RequeueRefusal(call) is { } refusal)
        {
            return Transition.Refused(RefusalKind.NotAllowed, refusal);
        }

        // A fresh budget of 1 + max_retries attempts; the attempts so far stay in the history and the requeue is noted.
        var made = call.Attempts.Count;
        var requeued = call with
        {
            Status = CallStatus.Queued,
            StatusReason = RequeuedReason,
            NextAttemptAt = null,
            Hold = null,
            AttemptOffset = made,
            JobId = requeue.DetachJob ? null : call.JobId,
        };
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"Requeued by operator via the {requeue.Via} after {made} attempt{(made == 1 ? string.Empty : "s")} (was {call.Status.ToWire()}: {call.StatusReason ?? "no reason recorded"}); next: attempt {made + 1} of {requeued.AttemptBudget}");
        return Transition.To(requeued with { Notes = [.. (call.Notes ?? []).TakeLast(MaxNotes - 1), new OperatorNote(now, text)] });
    }

    /// <summary>Counts the try on the call; a later attempt's hand-over is never overwritten by an earlier one's.</summary>
    private static Transition RecordHandoff(CallRecord call, AgentHandoffTried handoff, DateTimeOffset now)
    {
        if (call.Agent is { } newer && newer.DialAttempt > handoff.Attempt)
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var current = call.Agent is { } same && same.DialAttempt == handoff.Attempt ? same : new AgentHandoff { DialAttempt = handoff.Attempt };
        return Transition.To(call with
        {
            Agent = current with
            {
                Attempts = current.Attempts + 1,
                NotifiedAt = handoff.Error is null ? now : current.NotifiedAt,
                LastError = handoff.Error,
                LastStatusCode = handoff.StatusCode,
            },
        });
    }
}
