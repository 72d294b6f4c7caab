using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// One call = one job (DESIGN.md §2): places one attempt of the call through Plivo and returns; the call's progress
/// comes from Plivo's callbacks. Orchestration only: every change of the call goes through the state machine
/// (<see cref="CallTransitions"/>), whose guards make the job re-runnable: the attempt is claimed in the call record
/// before the request is sent, so a re-run (at-least-once delivery) never sends a second request for the same attempt.
/// </summary>
public sealed class DialCallJob(
    ICallStore store,
    CallTransitions transitions,
    DialEffects effects,
    IPlivoClient plivo,
    DialRequestBuilder requests,
    UnfinishedAttempts unfinished,
    DialGates gates,
    CampaignGate campaign,
    CalleeGate callee,
    PlivoWarmup warmup,
    ILogger<DialCallJob> logger)
{
    /// <summary>
    /// The dial job as <see cref="Ingest.DialJobFactory"/> creates it. The call id is its only argument, so Hangfire
    /// stores <c>ParameterTypes</c> as <c>["System.String"]</c> and the job's Redis hash keeps every value within
    /// <c>hash-max-listpack-value</c> (64 bytes) and stays in the compact listpack encoding (issue 15); with
    /// <see cref="ExecuteAsync"/>'s <c>PerformContext</c> and <c>CancellationToken</c> parameters that one field alone
    /// took 112 bytes and turned every queued call's job into a hashtable. The job and the cancellation token Hangfire
    /// would have passed (the server's shutdown token) come from <see cref="CurrentJob"/> instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not performed by a Hangfire server with
    /// <see cref="CurrentJobFilter"/> registered: without its job id the run could not tell whether its job still owns
    /// the call, so it refuses to dial rather than dial on a superseded job.</exception>
    // DialFailedException means "needs a person": Hangfire's own retries must not dial it again. Anything else
    // unexpected (a Redis hiccup) is retried by AutomaticRetry (RetryPolicy); the attempt claim keeps such re-runs from
    // ringing twice.
    [AutomaticRetry(Attempts = RetryPolicy.UnexpectedFailureRetries, ExceptOn = [typeof(DialFailedException)])]
    public Task DialAsync(string callId)
    {
        var context = CurrentJob.Context
            ?? throw new InvalidOperationException($"{nameof(DialCallJob)}.{nameof(DialAsync)} runs as a Hangfire job (its context comes from {nameof(CurrentJobFilter)}).");
        return ExecuteAsync(callId, context, context.CancellationToken.ShutdownToken);
    }

    /// <summary>
    /// One run of the dial job of <paramref name="callId"/> under the Hangfire job of <paramref name="context"/> (none:
    /// the job's ownership of the call is not checked, as when a test calls it directly). Also the dial job's signature
    /// before issue 15: jobs stored with it (Hangfire passes the context and its shutdown token) still run after an upgrade.
    /// </summary>
    // The same retry rules as DialAsync, for those jobs.
    [AutomaticRetry(Attempts = RetryPolicy.UnexpectedFailureRetries, ExceptOn = [typeof(DialFailedException)])]
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
            var givenBack = CallLifecycle.WasNeverSent(last)
                ? await transitions.ApplyAsync(callId, new GiveBackAttempt(last, "its dialer stopped before sending it", MarkedByThisRun: false), cancellationToken)
                : null;
            if (givenBack is not { Written: true, Call: { } returned })
            {
                var current = await store.GetAsync(callId, cancellationToken);
                if (current?.LastAttempt is { Outcome: null } open)
                {
                    await unfinished.SettleAsync(current, open, cancellationToken);
                }

                return;
            }

            Log.NeverSentGivenBack(logger, callId, last.Number);
            call = returned;
        }

        // Waiting for the agent, a slot or a rate token is not an attempt: nothing is claimed before the gates open. The
        // callee's gate comes first (deadline, calling hours, do-not-call, the number's rules): a call held there waits in
        // its scheduled job, not in a worker.
        await warmup.WaitAsync(cancellationToken);
        if (!await campaign.PassAsync(call, cancellationToken) || !await callee.PassAsync(call, jobId, cancellationToken))
        {
            return;
        }

        try
        {
            await gates.EnterAsync(call, cancellationToken);
        }
        catch (Exception ex) when (ex is DialWaitException or OperationCanceledException)
        {
            await effects.ReleaseSlotAsync(call, unusedAttempt: call.Attempts.Count + 1);
            throw;
        }

        var attempt = await ClaimAttemptAsync(call, jobId, cancellationToken);
        if (attempt is null)
        {
            return;
        }

        bool sending;
        try
        {
            sending = await TakeRateTokenAndMarkSendingAsync(call, attempt, cancellationToken);
        }
        catch (Exception ex) when (ex is DialWaitException or OperationCanceledException)
        {
            // Nothing was sent: the attempt is given back, so a re-run does not mistake it for one in flight, and so is the
            // slot. A claim another run took over meanwhile is that run's, and so is the slot it dials on.
            var givenBack = await transitions.ApplyAsync(call.CallId, new GiveBackAttempt(attempt, "waiting for the rate limiter", MarkedByThisRun: true), CancellationToken.None);
            if (givenBack.Written)
            {
                await effects.ReleaseSlotAsync(call, unusedAttempt: attempt.Number);
            }

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
    /// Takes a rate token, checks the call's campaign is still active, and records that the request leaves, re-taking the token when recording took longer than
    /// <see cref="DialGates.SendDeadline"/> (a stalled worker must not send on an old grant). False when another run
    /// took the claim over: then nothing is sent.
    /// </summary>
    private async Task<bool> TakeRateTokenAndMarkSendingAsync(CallRecord call, CallAttempt attempt, CancellationToken cancellationToken)
    {
        var callId = call.CallId;
        while (true)
        {
            var grantedAt = await gates.TakeRateTokenAsync(cancellationToken);

            // A pause or cancel that came while this worker waited for its slot and token: nothing is sent (issue 12).
            await campaign.ThrowIfHeldAsync(call, cancellationToken);
            var marked = await transitions.ApplyAsync(callId, new MarkSending(attempt), cancellationToken);
            if (!marked.Written || marked.Call!.LastAttempt?.SentAt is not { } sentAt)
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
            await transitions.ApplyAsync(callId, new UnmarkSending(attempt, sentAt), cancellationToken);
        }
    }

    private async Task<CallAttempt?> ClaimAttemptAsync(CallRecord call, string? jobId, CancellationToken cancellationToken)
    {
        var number = call.Attempts.Count + 1;
        var token = Guid.NewGuid().ToString("N")[..12];
        var claimed = await transitions.ApplyAsync(call.CallId, new ClaimAttempt(number, jobId, token), cancellationToken);
        if (!claimed.Written || claimed.Call!.LastAttempt is not { } attempt || attempt.ClaimToken != token)
        {
            Log.NothingToDial(logger, call.CallId, $"attempt {number} was claimed by another run");

            // The slot is the call's, not this run's: while an attempt is open (another run's claim, or a call it placed)
            // that attempt holds it and gives it back when it ends. Only a call with nothing open (cancelled while this
            // run waited at the gates) gives it back here.
            if (claimed.Call?.LastAttempt is not { Outcome: null })
            {
                await effects.ReleaseSlotAsync(call, unusedAttempt: number);
            }

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
            response = await CallQueueMetrics.MeasureDialAsync(() => plivo.MakeCallAsync(requests.Build(call, attempt.Number), CancellationToken.None));
        }
        catch (PlivoApiException ex)
        {
            await FailAttemptAsync(call, new DialFailed(attempt.Number, ex.IsTransient ? DialFailure.Transient : DialFailure.Rejected, ex.Message), ex, cancellationToken);
            return;
        }
        catch (PlivoConnectionException ex) when (!ex.RequestMayHaveBeenSent)
        {
            await FailAttemptAsync(call, new DialFailed(attempt.Number, DialFailure.NotSent, ex.Message), ex, cancellationToken);
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
                await effects.RunAsync(call, [new NotifyAgent(attempt.Number)]);
                return;
            }

            await unfinished.SettleAsync(current!, placed, CancellationToken.None);
            return;
        }

        Log.PlivoAccepted(logger, call.CallId, attempt.Number, response.RequestUuid, response.Message);

        // Plivo's answer is recorded even during shutdown (DESIGN.md §9).
        var accepted = await transitions.ApplyAsync(call.CallId, new PlivoAccepted(attempt.Number, response.RequestUuid, response.Message), CancellationToken.None);
        await effects.RunAsync(call, accepted.Written ? accepted.Effects : [new NotifyAgent(attempt.Number)]);
    }

    /// <summary>
    /// Ends the attempt whose request placed no call: retried within the budget (the job is Scheduled), else failed for a
    /// person. Plivo's callbacks may have settled it meanwhile: then their word stands, and the slot goes back anyway.
    /// </summary>
    private async Task FailAttemptAsync(CallRecord call, DialFailed failed, Exception cause, CancellationToken cancellationToken)
    {
        var ended = await transitions.ApplyAsync(call.CallId, failed, cancellationToken);
        if (!ended.Written)
        {
            await effects.ReleaseSlotAsync(call);
            return;
        }

        Log.AttemptFailed(logger, call.CallId, failed.Attempt, ended.Call!.StatusReason ?? failed.Error);
        await effects.RunAsync(call, ended.Effects, cause);
    }
}
