using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Plivo's word on a placed attempt: ringing, a machine's verdict, the hangup (or its call detail record).</summary>
public sealed partial class CallLifecycle
{
    private static Transition Ring(CallRecord call, RingingReported ringing, DateTimeOffset now)
    {
        var attempt = call.Attempts.FirstOrDefault(a => a.Number == ringing.Attempt);
        if (attempt is null || attempt.Outcome is not null || attempt.RingingAt is not null)
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        if (!ringing.Call.Matches(attempt))
        {
            return Transition.Refused(RefusalKind.ForeignCallback);
        }

        var updated = ringing.Call.RecordOn(attempt) with { RingingAt = now };
        var isCurrent = attempt.Number == call.Attempts.Count && call.Status == CallStatus.Dialing;
        return Transition.To(call with
        {
            Attempts = Replace(call.Attempts, updated),
            Status = isCurrent ? CallStatus.Ringing : call.Status,
            StatusReason = isCurrent ? $"Ringing (attempt {ringing.Attempt} of {call.AttemptBudget})" : call.StatusReason,
        });
    }

    private static Transition RecordMachine(CallRecord call, MachineReported machine)
    {
        var attempt = call.Attempts.FirstOrDefault(a => a.Number == machine.Attempt);
        if (attempt is null || attempt.MachineDetected == machine.Machine)
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        return machine.Call.Matches(attempt)
            ? Transition.To(call with { Attempts = Replace(call.Attempts, machine.Call.RecordOn(attempt) with { MachineDetected = machine.Machine }) })
            : Transition.Refused(RefusalKind.ForeignCallback);
    }

    /// <summary>
    /// Settles an attempt with Plivo's result and moves the call on: completed, retried after a growing delay (Scheduled,
    /// "Busy (3010 Busy Line) → retry in 5 min (attempt 2 of 4)"), or failed for a person ("No answer after 4
    /// attempts"). An attempt that already has Plivo's outcome is left alone, so duplicate callbacks change nothing; the
    /// dialer's own guess (unknown) is replaced.
    /// </summary>
    private Transition Settle(CallRecord call, HangupReported hangup, DateTimeOffset now)
    {
        var result = hangup.Result;
        var attempt = call.Attempts.FirstOrDefault(a => a.Number == hangup.Attempt);
        if (attempt is null || (attempt.Outcome is not null && !IsProvisional(attempt)))
        {
            return Transition.Refused(RefusalKind.Stale);
        }

        var plivoCall = new PlivoCallIds(result.RequestUuid, result.CallUuid);
        if (!plivoCall.Matches(attempt))
        {
            return Transition.Refused(RefusalKind.ForeignCallback);
        }

        var classification = HangupOutcomeClassifier.Classify(result, attempt.MachineDetected == true);
        var settled = plivoCall.RecordOn(attempt) with
        {
            Outcome = classification.Outcome,
            HangupCause = result.HangupCause,
            HangupCauseCode = result.HangupCauseCode,
            HangupCauseName = result.HangupCauseName,
            HangupSource = result.HangupSource,
            AnsweredAt = result.AnswerTime,
            EndedAt = result.EndTime ?? now,
            Duration = result.Duration,
            BillDuration = result.BillDuration,
            ResultSource = result.Source,
            Error = classification.Outcome is CallOutcome.Answered ? null : classification.Description,
        };

        // A late callback for an older attempt is recorded, but the call has moved on since.
        var isCurrent = hangup.Attempt == call.Attempts.Count
            && (!call.Status.IsTerminal() || (call.Status == CallStatus.Unknown && IsProvisional(attempt)));
        if (!isCurrent)
        {
            return Transition.To(call with { Attempts = Replace(call.Attempts, settled) });
        }

        var (status, reason, retryIn) = Decide(call, settled, classification, now);
        var next = call with
        {
            Attempts = Replace(call.Attempts, settled),
            Status = status,
            StatusReason = reason,
            NextAttemptAt = now + retryIn,
        };

        // The attempt is over: its line is free for the next call anywhere in the cluster.
        List<CallEffect> effects = [new ReleaseSlot(), new CountEnded(status, settled.Outcome)];
        if (IsProvisional(attempt) && status == CallStatus.Completed)
        {
            // The dialer had given up on this attempt (job Failed, result unknown); Plivo says it was answered.
            effects.Add(new MoveJob(JobMove.Succeed, reason));
        }
        else if (retryIn is { } delay)
        {
            effects.Add(new MoveJob(JobMove.Schedule, reason, delay));
        }
        else if (status is CallStatus.Failed or CallStatus.Unknown)
        {
            effects.Add(new MoveJob(JobMove.Fail, reason));
        }
        else if (status == CallStatus.Expired)
        {
            effects.Add(new MoveJob(JobMove.Delete, reason));
        }

        return Transition.To(next, [.. effects]);
    }

    private (CallStatus Status, string Reason, TimeSpan? RetryIn) Decide(CallRecord call, CallAttempt attempt, AttemptClassification classification, DateTimeOffset now)
    {
        switch (classification.Outcome)
        {
            case CallOutcome.Answered:
                var talked = attempt.BillDuration ?? attempt.Duration;
                return (CallStatus.Completed, talked is null ? "Answered" : string.Create(CultureInfo.InvariantCulture, $"Answered; the call lasted {talked} s"), null);
            case CallOutcome.Cancelled:
                return (CallStatus.Cancelled, classification.Description, null);
            case CallOutcome.Unknown:
                return (CallStatus.Unknown, $"{classification.Description}: check Plivo's call log before requeueing", null);
        }

        if (!classification.Retryable)
        {
            return (CallStatus.Failed, $"{classification.Description}: not retried", null);
        }

        if (retryPolicy.RetryIn(call, attempt.Number, classification.Outcome, retryable: true, requestFailed: false) is not { } delay)
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{HangupOutcomeClassifier.Words(classification.Outcome)} after {attempt.Number} attempt{(attempt.Number == 1 ? string.Empty : "s")} (last: {classification.Description})");
            return (CallStatus.Failed, reason, null);
        }

        var placed = PlaceRetry(call, delay, now);
        if (placed.Delay is not { } retryIn)
        {
            return (CallStatus.Expired, $"{classification.Description}; {placed.Expired}", null);
        }

        var retryReason = string.Create(
            CultureInfo.InvariantCulture,
            $"{classification.Description} → retry in {RetryDelay.Describe(retryIn)}{(placed.Note is null ? string.Empty : $" ({placed.Note})")} (attempt {attempt.Number + 1} of {call.AttemptBudget})");
        return (CallStatus.Retry, retryReason, retryIn);
    }
}
