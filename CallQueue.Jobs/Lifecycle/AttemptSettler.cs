using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Settles an attempt once its result is known (hangup callback, call detail record) and moves the call on: completed,
/// retried after a growing delay in the same Hangfire job (Scheduled, with a reason like "Busy (3010 Busy Line) → retry
/// in 5 min (attempt 2 of 4)"), or failed for a person ("No answer after 4 attempts"). Idempotent: an attempt that
/// already has an outcome is left alone, so duplicate callbacks change nothing.
/// </summary>
public sealed class AttemptSettler(
    ICallStore store,
    IBackgroundJobClient jobs,
    ICallCapacity capacity,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<AttemptSettler> logger)
{
    /// <summary>The source of outcomes the dialer guessed itself (an unknown result); Plivo's word replaces them.</summary>
    public const string DialerSource = "dialer";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    /// <summary>Records the ring callback: the call is ringing (unless it has moved on already).</summary>
    public Task<CallRecord?> MarkRingingAsync(string callId, int attemptNumber, PlivoCallIds plivoCall, CancellationToken cancellationToken) =>
        store.UpdateAsync(
            callId,
            call =>
            {
                var attempt = call.Attempts.FirstOrDefault(a => a.Number == attemptNumber);
                if (attempt is null || attempt.Outcome is not null || attempt.RingingAt is not null || !IsSameCall(callId, attempt, plivoCall))
                {
                    return null;
                }

                var updated = plivoCall.RecordOn(attempt) with { RingingAt = time.GetUtcNow() };
                var isCurrent = attempt.Number == call.Attempts.Count && call.Status == CallStatus.Dialing;
                return call with
                {
                    Attempts = Replace(call.Attempts, updated),
                    Status = isCurrent ? CallStatus.Ringing : call.Status,
                    StatusReason = isCurrent ? $"Ringing (attempt {attemptNumber} of {call.AttemptBudget})" : call.StatusReason,
                };
            },
            cancellationToken);

    /// <summary>Records Plivo's machine-detection verdict on the attempt; the hangup then counts as a machine.</summary>
    public Task<CallRecord?> MarkMachineAsync(string callId, int attemptNumber, PlivoCallIds plivoCall, bool machine, CancellationToken cancellationToken) =>
        store.UpdateAsync(
            callId,
            call =>
            {
                var attempt = call.Attempts.FirstOrDefault(a => a.Number == attemptNumber);
                return attempt is null || attempt.MachineDetected == machine || !IsSameCall(callId, attempt, plivoCall)
                    ? null
                    : call with { Attempts = Replace(call.Attempts, plivoCall.RecordOn(attempt) with { MachineDetected = machine }) };
            },
            cancellationToken);

    /// <summary>Settles attempt <paramref name="attemptNumber"/> with Plivo's result and moves the call and its job on.</summary>
    public async Task<CallRecord?> SettleAsync(string callId, int attemptNumber, AttemptResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        Decision? decision = null;
        var call = await store.UpdateAsync(
            callId,
            current =>
            {
                decision = null;
                var attempt = current.Attempts.FirstOrDefault(a => a.Number == attemptNumber);
                var plivoCall = new PlivoCallIds(result.RequestUuid, result.CallUuid);
                if (attempt is null || (attempt.Outcome is not null && !IsProvisional(attempt)) || !IsSameCall(callId, attempt, plivoCall))
                {
                    return null;
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
                    EndedAt = result.EndTime ?? time.GetUtcNow(),
                    Duration = result.Duration,
                    BillDuration = result.BillDuration,
                    ResultSource = result.Source,
                    Error = classification.Outcome is CallOutcome.Answered ? null : classification.Description,
                };

                // A late callback for an older attempt is recorded, but the call has moved on since.
                var isCurrent = attemptNumber == current.Attempts.Count
                    && (!current.Status.IsTerminal() || (current.Status == CallStatus.Unknown && IsProvisional(attempt)));
                if (!isCurrent)
                {
                    return current with { Attempts = Replace(current.Attempts, settled) };
                }

                decision = Decide(current, settled, classification) with { ReplacesGuess = IsProvisional(attempt) };
                return current with
                {
                    Attempts = Replace(current.Attempts, settled),
                    Status = decision.Status,
                    StatusReason = decision.Reason,
                    NextAttemptAt = decision.RetryIn is { } delay ? time.GetUtcNow() + delay : null,
                };
            },
            cancellationToken);

        if (call is not null && decision is not null)
        {
            // The attempt is over: its line is free for the next call anywhere in the cluster.
            await capacity.ReleaseSlotAsync(callId, CancellationToken.None);
            MoveJob(call, decision);
            CallQueueMetrics.CallEnded(decision.Status, call.Attempts.FirstOrDefault(a => a.Number == attemptNumber)?.Outcome);
            Log.AttemptSettled(logger, callId, attemptNumber, decision.Reason);
        }

        return call;
    }

    private Decision Decide(CallRecord call, CallAttempt attempt, AttemptClassification classification)
    {
        if (classification.Outcome is CallOutcome.Answered)
        {
            var talked = attempt.BillDuration ?? attempt.Duration;
            var reason = talked is null ? "Answered" : string.Create(CultureInfo.InvariantCulture, $"Answered; the call lasted {talked} s");
            return new Decision(CallStatus.Completed, reason, RetryIn: null, FailJob: false);
        }

        if (classification.Outcome is CallOutcome.Cancelled)
        {
            return new Decision(CallStatus.Cancelled, classification.Description, RetryIn: null, FailJob: false);
        }

        if (classification.Outcome is CallOutcome.Unknown)
        {
            return new Decision(CallStatus.Unknown, $"{classification.Description}: check Plivo's call log before requeueing", RetryIn: null, FailJob: true);
        }

        if (!classification.Retryable)
        {
            return new Decision(CallStatus.Failed, $"{classification.Description}: not retried", RetryIn: null, FailJob: true);
        }

        if (attempt.Number >= call.AttemptBudget)
        {
            var reason = string.Create(
                CultureInfo.InvariantCulture,
                $"{HangupOutcomeClassifier.Words(classification.Outcome)} after {attempt.Number} attempt{(attempt.Number == 1 ? string.Empty : "s")} (last: {classification.Description})");
            return new Decision(CallStatus.Failed, reason, RetryIn: null, FailJob: true);
        }

        var baseDelay = TimeSpan.FromSeconds(call.Config.RetryDelaySeconds ?? options.Value.RetryDelaySeconds);
        var delay = RetryDelay.Exponential(baseDelay, attempt.Number, MaxRetryDelay);
        var retryReason = string.Create(
            CultureInfo.InvariantCulture,
            $"{classification.Description} → retry in {RetryDelay.Describe(delay)} (attempt {attempt.Number + 1} of {call.AttemptBudget})");
        return new Decision(CallStatus.Retry, retryReason, delay, FailJob: false);
    }

    private void MoveJob(CallRecord call, Decision decision)
    {
        if (call.JobId is null)
        {
            return;
        }

        if (decision.ReplacesGuess && decision.Status == CallStatus.Completed)
        {
            // The dialer had given up on this attempt (job Failed, result unknown); Plivo says it was answered.
            jobs.ChangeState(call.JobId, new SucceededState(result: null, latency: 0, performanceDuration: 0) { Reason = decision.Reason });
        }
        else if (decision.RetryIn is { } delay)
        {
            jobs.ChangeState(call.JobId, new ScheduledState(delay) { Reason = decision.Reason });
        }
        else if (decision.FailJob)
        {
            jobs.ChangeState(call.JobId, new FailedState(new DialFailedException(decision.Reason)) { Reason = decision.Reason });
        }
    }

    /// <summary>
    /// A signed callback is for this attempt only if its uuids are the attempt's, where the attempt knows them: one for
    /// another call (a misrouted or replayed callback, a URL reused by hand) is logged and changes nothing.
    /// </summary>
    private bool IsSameCall(string callId, CallAttempt attempt, PlivoCallIds plivoCall)
    {
        if (plivoCall.Matches(attempt))
        {
            return true;
        }

        Log.ForeignCallback(logger, callId, attempt.Number, plivoCall.RequestUuid ?? "-", plivoCall.CallUuid ?? "-", attempt.RequestUuid ?? "-", attempt.CallUuid ?? "-");
        return false;
    }

    private static List<CallAttempt> Replace(IReadOnlyList<CallAttempt> attempts, CallAttempt updated) =>
        attempts.Select(a => a.Number == updated.Number ? updated : a).ToList();

    private static bool IsProvisional(CallAttempt attempt) => attempt.Outcome == CallOutcome.Unknown && attempt.ResultSource == DialerSource;

    private sealed record Decision(CallStatus Status, string Reason, TimeSpan? RetryIn, bool FailJob)
    {
        public bool ReplacesGuess { get; init; }
    }
}
