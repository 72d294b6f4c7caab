using System.Globalization;
using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// One call = one job (DESIGN.md §2): places one attempt of the call through Plivo and returns; the call's progress
/// comes from Plivo's callbacks. Re-runnable: the attempt is claimed in the call record before the request is sent, so a
/// re-run (at-least-once delivery) never sends a second request for the same attempt.
/// </summary>
public sealed class DialCallJob(
    ICallStore store,
    IPlivoClient plivo,
    PlivoCallFinder finder,
    IOptions<PlivoOptions> plivoOptions,
    IOptions<QueueOptions> queueOptions,
    TimeProvider time,
    ILogger<DialCallJob> logger,
    NotifyAgentJobFactory agentJobs,
    DialGates gates,
    ICallCapacity capacity,
    PlivoWarmup warmup)
{
    private static readonly TimeSpan MaxProviderRetryDelay = TimeSpan.FromHours(1);

    // How far Plivo's clock (a call detail record's initiation_time) may be behind ours when matching an attempt's call.
    private static readonly TimeSpan CallRecordClockSlack = TimeSpan.FromSeconds(5);

    // DialFailedException means "needs a person": Hangfire's own retries must not dial it again. Anything else
    // unexpected (a Redis hiccup) is retried by AutomaticRetry; the attempt claim keeps such re-runs from ringing twice.
    [AutomaticRetry(Attempts = 10, ExceptOn = [typeof(DialFailedException)])]
    public async Task ExecuteAsync(string callId, PerformContext? context, CancellationToken cancellationToken)
    {
        var jobId = context?.BackgroundJob.Id;
        var call = await store.GetAsync(callId, cancellationToken);
        if (call is null)
        {
            Log.NothingToDial(logger, callId, "no such call");
            return;
        }

        if (jobId is not null)
        {
            var owner = await store.AssignJobAsync(callId, jobId, cancellationToken);
            if (owner != jobId)
            {
                Log.Superseded(logger, callId, jobId, owner);
                return;
            }
        }

        if (call.Status.IsTerminal())
        {
            Log.NothingToDial(logger, callId, $"status {call.Status.ToWire()}");
            return;
        }

        if (call.LastAttempt is { Outcome: null } last)
        {
            // A claim whose request never left (its run died between the claim and the send) is given back and dialed
            // now; one that may have been sent is settled from Plivo, never sent blindly again.
            var givenBack = WasNeverSent(last) ? await GiveBackAsync(call.CallId, last, "its dialer stopped before sending it", cancellationToken) : null;
            if (givenBack is null)
            {
                var current = await store.GetAsync(callId, cancellationToken);
                if (current?.LastAttempt is { Outcome: null } unfinished)
                {
                    await HandleUnfinishedAttemptAsync(current, unfinished, cancellationToken);
                }

                return;
            }

            Log.NeverSentGivenBack(logger, callId, last.Number);
            call = givenBack;
        }

        // Waiting for the agent, a slot or a rate token is not an attempt: nothing is claimed before the gates open.
        await warmup.WaitAsync(cancellationToken);
        await gates.EnterAsync(call, cancellationToken);
        var attempt = await ClaimAttemptAsync(call, jobId, cancellationToken);
        if (attempt is null)
        {
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            return;
        }

        bool sending;
        try
        {
            sending = await TakeRateTokenAndMarkSendingAsync(call.CallId, attempt, cancellationToken);
        }
        catch (Exception ex) when (ex is DialWaitException or OperationCanceledException)
        {
            // Nothing was sent: the attempt is given back, so a re-run does not mistake it for one in flight.
            await GiveBackAsync(call.CallId, attempt, "waiting for the rate limiter", CancellationToken.None, markedByThisRun: true);
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            throw;
        }

        if (!sending)
        {
            // Another run took this claim over while this one waited (its job was fetched again): that run dials.
            Log.NothingToDial(logger, call.CallId, $"attempt {attempt.Number} was taken over by another run before it was sent");
            return;
        }

        await PlaceAsync(call, attempt, cancellationToken);
    }

    /// <summary>
    /// Takes a rate token and records that the request leaves, re-taking the token when recording took longer than
    /// <see cref="DialGates.SendDeadline"/> (a stalled worker must not send on an old grant). False when another run
    /// took the claim over: then nothing is sent.
    /// </summary>
    private async Task<bool> TakeRateTokenAndMarkSendingAsync(string callId, CallAttempt attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var grantedAt = await gates.TakeRateTokenAsync(cancellationToken);
            var sentAt = await MarkSendingAsync(callId, attempt, cancellationToken);
            if (sentAt is null)
            {
                return false;
            }

            if (gates.IsStillFresh(grantedAt))
            {
                return true;
            }

            // Not sent after all: the mark goes, so that a crash while waiting for the next grant leaves a claim that
            // a re-run knows was never sent.
            Log.GrantGoneStale(logger, callId, attempt.Number);
            await UnmarkSendingAsync(callId, attempt, sentAt.Value, cancellationToken);
        }
    }

    /// <summary>The record's last attempt is still <paramref name="claim"/>, under the same token (the fencing check).</summary>
    private static bool IsSameClaim(CallAttempt last, CallAttempt claim) => last.Number == claim.Number && last.ClaimToken == claim.ClaimToken;

    private static CallRecord WithLastAttempt(CallRecord call, CallAttempt last) =>
        call with { Attempts = [.. call.Attempts.Take(call.Attempts.Count - 1), last] };

    /// <summary>Claimed under a token, and its request never left (the run stopped before recording that it sends).</summary>
    private static bool WasNeverSent(CallAttempt attempt) =>
        attempt is { ClaimToken: not null, SentAt: null, RequestUuid: null, CallUuid: null, Outcome: null };

    /// <summary>
    /// Removes the claimed attempt <paramref name="attempt"/> if it is still exactly as claimed (same token, never sent),
    /// so its number is claimed again by whoever dials. The call as written, or null when the attempt had moved on.
    /// </summary>
    /// <remarks>
    /// With <c>markedByThisRun</c> the caller holds the claim and knows it sent nothing, even if it had recorded
    /// <see cref="CallAttempt.SentAt"/> already (a stale grant, then a rate wait that ran out).
    /// </remarks>
    private async Task<CallRecord?> GiveBackAsync(string callId, CallAttempt attempt, string why, CancellationToken cancellationToken, bool markedByThisRun = false)
    {
        var updated = await store.UpdateAsync(
            callId,
            current => current.LastAttempt is { RequestUuid: null, CallUuid: null, Outcome: null } last
                && (last.SentAt is null || markedByThisRun)
                && IsSameClaim(last, attempt)
                ? current with
                {
                    Status = CallStatus.Queued,
                    StatusReason = $"Attempt {attempt.Number} was not sent ({why}); waiting to dial",
                    Attempts = current.Attempts.Take(current.Attempts.Count - 1).ToList(),
                }
                : null,
            cancellationToken);
        return updated is not null && updated.Attempts.Count == attempt.Number - 1 ? updated : null;
    }

    /// <summary>
    /// Records that the request is about to leave, only if this run's claim still holds (the fencing check). False when
    /// another run took the attempt over: then this run must not send.
    /// </summary>
    private async Task<DateTimeOffset?> MarkSendingAsync(string callId, CallAttempt attempt, CancellationToken cancellationToken)
    {
        var sentAt = time.GetUtcNow();
        var updated = await store.UpdateAsync(
            callId,
            current => current.LastAttempt is { SentAt: null, Outcome: null } last
                && IsSameClaim(last, attempt)
                ? WithLastAttempt(current, last with { SentAt = sentAt })
                : null,
            cancellationToken);
        return updated?.LastAttempt is { } written && written.ClaimToken == attempt.ClaimToken && written.SentAt == sentAt ? sentAt : null;
    }

    /// <summary>Takes back this run's <see cref="MarkSendingAsync"/> when its grant went stale before the request left.</summary>
    private Task<CallRecord?> UnmarkSendingAsync(string callId, CallAttempt attempt, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        store.UpdateAsync(
            callId,
            current => current.LastAttempt is { RequestUuid: null, CallUuid: null, Outcome: null } last
                && IsSameClaim(last, attempt)
                && last.SentAt == sentAt
                ? WithLastAttempt(current, last with { SentAt = null })
                : null,
            cancellationToken);

    private async Task HandleUnfinishedAttemptAsync(CallRecord call, CallAttempt last, CancellationToken cancellationToken)
    {
        if (last.RequestUuid is not null)
        {
            Log.NothingToDial(logger, call.CallId, $"attempt {last.Number} was placed (request_uuid {last.RequestUuid}); waiting for Plivo's callbacks");
            return;
        }

        // The attempt was claimed but Plivo's answer never recorded: the dialer stopped (or Redis failed) between sending
        // the request and recording the answer. The callee may be ringing right now, so the request is never sent again
        // blindly: ask Plivo first. A failed lookup throws, and the job retries the lookup, not the call.
        var found = await finder.FindByNumberAsync(call.PhoneNumber, cancellationToken);
        if (found is not null)
        {
            await AdoptAsync(
                call.CallId,
                last,
                found.RequestUuid,
                found.CallUuid,
                live: found.IsLive,
                acceptedAt: time.GetUtcNow(),
                $"Attempt {last.Number}: found at Plivo ({(found.IsLive ? "live" : "queued")}) after the dialer restarted; waiting for its callbacks",
                cancellationToken);
            Log.AdoptedFromPlivo(logger, call.CallId, last.Number, found.CallUuid);
            await capacity.TryAcquireSlotAsync(call.CallId, queueOptions.Value.MaxConcurrentCalls, gates.LeaseFor(call), queueOrder: -1, cancellationToken);
            agentJobs.Create(call.CallId, last.Number);
            return;
        }

        // Nothing live or queued at Plivo: no line is held, so the slot goes back.
        await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);

        // The call may have been placed and be over already: its call detail record is adopted, and the reconciler settles
        // the attempt from it (outcome, retry or not) as for any call whose hangup callback never came.
        var ended = await finder.FindEndedAsync(call.PhoneNumber, last.StartedAt - CallRecordClockSlack, cancellationToken);
        if (ended?.CallUuid is { } endedUuid
            && await AdoptAsync(
                call.CallId,
                last,
                endedUuid,
                endedUuid,
                live: false,
                acceptedAt: last.StartedAt,
                $"Attempt {last.Number}: found ended at Plivo (call detail record {endedUuid}) after the dialer restarted; the reconciler settles it from that record",
                cancellationToken))
        {
            Log.AdoptedFromPlivo(logger, call.CallId, last.Number, endedUuid);
            return;
        }

        var reason = $"Attempt {last.Number}: the result of the request to Plivo is unknown (Plivo's answer was never recorded, "
            + "and Plivo shows no live, queued or ended call to this number). Check Plivo's call log before requeueing.";
        if (!await FinishAttemptAsync(call.CallId, last.Number, CallOutcome.Unknown, reason, CallStatus.Unknown, nextAttemptAt: null, cancellationToken))
        {
            return; // settled meanwhile by Plivo's callbacks: their word stands
        }

        Log.UnknownResult(logger, call.CallId, last.Number, reason);
        throw new DialFailedException(reason);
    }

    /// <summary>
    /// Records a call found at Plivo as <paramref name="attempt"/>'s (a live one makes a dialing call ringing), unless the
    /// attempt was settled or adopted meanwhile. True when this run recorded it.
    /// </summary>
    private async Task<bool> AdoptAsync(
        string callId, CallAttempt attempt, string requestUuid, string callUuid, bool live, DateTimeOffset acceptedAt, string reason, CancellationToken cancellationToken)
    {
        var adopted = await store.UpdateAsync(
            callId,
            current => current.LastAttempt is not { RequestUuid: null, Outcome: null } last || last.Number != attempt.Number
                ? null
                : current with
                {
                    Status = live && current.Status == CallStatus.Dialing ? CallStatus.Ringing : current.Status,
                    StatusReason = reason,
                    Attempts = current.Attempts.Select(a => a.Number == attempt.Number
                        ? a with { RequestUuid = requestUuid, CallUuid = callUuid, AcceptedAt = acceptedAt }
                        : a).ToList(),
                },
            cancellationToken);
        return adopted?.LastAttempt?.CallUuid == callUuid && adopted.LastAttempt.RequestUuid == requestUuid;
    }

    private async Task<CallAttempt?> ClaimAttemptAsync(CallRecord call, string? jobId, CancellationToken cancellationToken)
    {
        var number = call.Attempts.Count + 1;
        var attempt = new CallAttempt { Number = number, StartedAt = time.GetUtcNow(), JobId = jobId, ClaimToken = Guid.NewGuid().ToString("N")[..12] };
        var claimed = await store.UpdateAsync(
            call.CallId,
            current => current.Attempts.Count + 1 != number || current.Status.IsTerminal()
                ? null
                : current with
                {
                    Status = CallStatus.Dialing,
                    NextAttemptAt = null,
                    StatusReason = string.Create(CultureInfo.InvariantCulture, $"Dialing: attempt {number} of {current.AttemptBudget}"),
                    Attempts = [.. current.Attempts, attempt],
                },
            cancellationToken);
        if (claimed?.LastAttempt != attempt)
        {
            Log.NothingToDial(logger, call.CallId, $"attempt {number} was claimed by another run");
            return null;
        }

        return attempt;
    }

    private async Task PlaceAsync(CallRecord call, CallAttempt attempt, CancellationToken cancellationToken)
    {
        Log.Dialing(logger, call.CallId, PhoneNumberMask.Mask(call.PhoneNumber), attempt.Number, call.AttemptBudget);
        MakeCallResponse response;
        try
        {
            // Not the shutdown token: a request that has started is finished, never abandoned halfway (DESIGN.md §9).
            response = await CallQueueMetrics.MeasureDialAsync(() => plivo.MakeCallAsync(BuildRequest(call, attempt.Number), CancellationToken.None));
        }
        catch (PlivoApiException ex) when (ex.IsTransient)
        {
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            await RetryOrFailAsync(call, attempt, CallOutcome.ProviderError, ex.Message, ex, cancellationToken);
            return;
        }
        catch (PlivoApiException ex)
        {
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            var reason = $"{ex.Message}. Not retried: fix the request or the account, then requeue.";
            if (!await FinishAttemptAsync(call.CallId, attempt.Number, CallOutcome.ProviderError, reason, CallStatus.Failed, nextAttemptAt: null, cancellationToken))
            {
                return;
            }

            Log.AttemptFailed(logger, call.CallId, attempt.Number, reason);
            throw new DialFailedException(reason, ex);
        }
        catch (PlivoConnectionException ex) when (!ex.RequestMayHaveBeenSent)
        {
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            await RetryOrFailAsync(call, attempt, CallOutcome.NetworkError, ex.Message, ex, cancellationToken);
            return;
        }
        catch (PlivoConnectionException ex)
        {
            // Plivo may have placed the call (the request left, its answer did not come back): never sent again. The slot
            // stays taken, since the callee may be ringing. What Plivo's callbacks said meanwhile stands; otherwise the
            // attempt is settled from Plivo's lists and records, and only a call Plivo shows nothing of goes to a person.
            Log.AnswerLost(logger, call.CallId, attempt.Number, ex.Message);
            var current = await store.GetAsync(call.CallId, CancellationToken.None);
            var placed = current?.Attempts.FirstOrDefault(a => a.Number == attempt.Number);
            if (placed is null || placed.Outcome is not null || placed.RequestUuid is not null || placed.CallUuid is not null)
            {
                // Plivo's callbacks already named the call (or settled the attempt): it was placed, as after an answer.
                agentJobs.Create(call.CallId, attempt.Number);
                return;
            }

            await HandleUnfinishedAttemptAsync(current!, placed, CancellationToken.None);
            return;
        }

        Log.PlivoAccepted(logger, call.CallId, attempt.Number, response.RequestUuid, response.Message);
        await store.UpdateAsync(
            call.CallId,
            current => current with
            {
                // A fast callback may have moved the call on already; then only the request's facts are added.
                StatusReason = current.Status == CallStatus.Dialing
                    ? $"Placed with Plivo ({response.Message ?? "accepted"}); waiting for the callee"
                    : current.StatusReason,
                Attempts = current.Attempts.Select(a => a.Number == attempt.Number
                    ? a with { RequestUuid = response.RequestUuid, AcceptedAt = time.GetUtcNow() }
                    : a).ToList(),
            },
            CancellationToken.None); // Plivo's answer is recorded even during shutdown (DESIGN.md §9).
        agentJobs.Create(call.CallId, attempt.Number);
    }

    private async Task RetryOrFailAsync(CallRecord call, CallAttempt attempt, CallOutcome outcome, string error, Exception cause, CancellationToken cancellationToken)
    {
        if (attempt.Number >= call.AttemptBudget)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"{error} after {attempt.Number} attempts");
            if (!await FinishAttemptAsync(call.CallId, attempt.Number, outcome, reason, CallStatus.Failed, nextAttemptAt: null, cancellationToken))
            {
                return;
            }

            Log.AttemptFailed(logger, call.CallId, attempt.Number, reason);
            throw new DialFailedException(reason, cause);
        }

        var delay = ProviderRetryDelay(attempt.Number);
        var retryReason = string.Create(
            CultureInfo.InvariantCulture,
            $"{error} → retry in {RetryDelay.Describe(delay)} (attempt {attempt.Number + 1} of {call.AttemptBudget})");
        if (!await FinishAttemptAsync(call.CallId, attempt.Number, outcome, retryReason, CallStatus.Retry, time.GetUtcNow() + delay, cancellationToken))
        {
            return;
        }

        Log.AttemptFailed(logger, call.CallId, attempt.Number, retryReason);
        throw new DialRetryException(retryReason, delay, cause);
    }

    private TimeSpan ProviderRetryDelay(int attemptNumber) =>
        RetryDelay.Exponential(TimeSpan.FromSeconds(queueOptions.Value.ProviderRetryDelaySeconds), attemptNumber, MaxProviderRetryDelay);

    /// <summary>
    /// Ends attempt <paramref name="attemptNumber"/> with the dialer's own outcome, unless it already has one (Plivo's
    /// callbacks may have settled it meanwhile: their word stands). True when this run wrote the outcome.
    /// </summary>
    private async Task<bool> FinishAttemptAsync(
        string callId, int attemptNumber, CallOutcome outcome, string reason, CallStatus status, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        var endedAt = time.GetUtcNow();
        var updated = await store.UpdateAsync(
            callId,
            current => current.LastAttempt is { Outcome: null } last && last.Number == attemptNumber
                ? WithLastAttempt(current, last with { Outcome = outcome, Error = reason, EndedAt = endedAt, ResultSource = AttemptSettler.DialerSource }) with
                {
                    Status = status,
                    StatusReason = reason,
                    NextAttemptAt = nextAttemptAt,
                }
                : null,
            cancellationToken);
        var written = updated?.LastAttempt is { } attempt && attempt.Number == attemptNumber && attempt.Outcome == outcome && attempt.EndedAt == endedAt && attempt.ResultSource == AttemptSettler.DialerSource;
        if (written)
        {
            CallQueueMetrics.CallEnded(status, outcome);
        }

        return written;
    }

    private MakeCallRequest BuildRequest(CallRecord call, int attemptNumber)
    {
        var options = plivoOptions.Value;
        return new MakeCallRequest
        {
            From = options.Number ?? throw new InvalidOperationException("PLIVO_NUMBER is not set."),
            To = call.PhoneNumber,
            AnswerUrl = call.Config.AnswerUrl,
            AnswerMethod = call.Config.AnswerMethod,
            RingUrl = CallbackUrls.For(options, CallbackUrls.RingPath, call.CallId, attemptNumber),
            HangupUrl = CallbackUrls.For(options, CallbackUrls.HangupPath, call.CallId, attemptNumber),
            TimeLimit = call.Config.MaxDuration ?? queueOptions.Value.DefaultMaxDurationSeconds,
            RingTimeout = call.Config.RingTimeout,
            MachineDetection = call.Config.MachineDetection,
            MachineDetectionUrl = call.Config.MachineDetection is null
                ? null
                : CallbackUrls.For(options, CallbackUrls.MachinePath, call.CallId, attemptNumber),
            MachineDetectionMethod = call.Config.MachineDetection is null ? null : "POST",
        };
    }
}
