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

        var last = call.LastAttempt;
        if (last is { Outcome: null })
        {
            await HandleUnfinishedAttemptAsync(call, last, cancellationToken);
            return;
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

        try
        {
            await gates.TakeRateTokenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is DialWaitException or OperationCanceledException)
        {
            // Nothing was sent: the attempt is given back, so a re-run does not mistake it for one in flight.
            await UnclaimAttemptAsync(call.CallId, attempt, CancellationToken.None);
            await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
            throw;
        }

        await PlaceAsync(call, attempt, cancellationToken);
    }

    private Task<CallRecord?> UnclaimAttemptAsync(string callId, CallAttempt attempt, CancellationToken cancellationToken) =>
        store.UpdateAsync(
            callId,
            current => current.LastAttempt is { RequestUuid: null, Outcome: null } last && last.Number == attempt.Number
                ? current with
                {
                    Status = CallStatus.Queued,
                    StatusReason = "Waiting for the rate limiter",
                    Attempts = current.Attempts.Take(current.Attempts.Count - 1).ToList(),
                }
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

        var reason = $"Attempt {last.Number}: the result of the request to Plivo is unknown (the dialer stopped before recording Plivo's answer, "
            + "and Plivo shows no live or queued call to this number). Check Plivo's call log before requeueing.";
        await FinishAttemptAsync(call.CallId, last.Number, CallOutcome.Unknown, reason, CallStatus.Unknown, nextAttemptAt: null, cancellationToken);
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
        var attempt = new CallAttempt { Number = number, StartedAt = time.GetUtcNow(), JobId = jobId };
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
            await FinishAttemptAsync(call.CallId, attempt.Number, CallOutcome.ProviderError, reason, CallStatus.Failed, nextAttemptAt: null, cancellationToken);
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
            // The slot stays taken: the callee may be ringing. It comes back when Plivo's callback or the lease's end says so.
            var reason = $"Attempt {attempt.Number}: {ex.Message}. Plivo may have placed the call, so it is not sent again; check Plivo's call log before requeueing.";
            await FinishAttemptAsync(call.CallId, attempt.Number, CallOutcome.Unknown, reason, CallStatus.Unknown, nextAttemptAt: null, cancellationToken);
            Log.UnknownResult(logger, call.CallId, attempt.Number, reason);
            throw new DialFailedException(reason, ex);
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
            await FinishAttemptAsync(call.CallId, attempt.Number, outcome, reason, CallStatus.Failed, nextAttemptAt: null, cancellationToken);
            Log.AttemptFailed(logger, call.CallId, attempt.Number, reason);
            throw new DialFailedException(reason, cause);
        }

        var delay = ProviderRetryDelay(attempt.Number);
        var retryReason = string.Create(
            CultureInfo.InvariantCulture,
            $"{error} → retry in {RetryDelay.Describe(delay)} (attempt {attempt.Number + 1} of {call.AttemptBudget})");
        await FinishAttemptAsync(call.CallId, attempt.Number, outcome, retryReason, CallStatus.Retry, time.GetUtcNow() + delay, cancellationToken);
        Log.AttemptFailed(logger, call.CallId, attempt.Number, retryReason);
        throw new DialRetryException(retryReason, delay, cause);
    }

    private TimeSpan ProviderRetryDelay(int attemptNumber) =>
        RetryDelay.Exponential(TimeSpan.FromSeconds(queueOptions.Value.ProviderRetryDelaySeconds), attemptNumber, MaxProviderRetryDelay);

    private Task<CallRecord?> FinishAttemptAsync(
        string callId, int attemptNumber, CallOutcome outcome, string reason, CallStatus status, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        CallQueueMetrics.CallEnded(status, outcome);
        return store.UpdateAsync(
            callId,
            current => current with
            {
                Status = status,
                StatusReason = reason,
                NextAttemptAt = nextAttemptAt,
                Attempts = current.Attempts.Select(a => a.Number == attemptNumber
                    ? a with { Outcome = outcome, Error = reason, EndedAt = time.GetUtcNow(), ResultSource = AttemptSettler.DialerSource }
                    : a).ToList(),
            },
            cancellationToken);
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
