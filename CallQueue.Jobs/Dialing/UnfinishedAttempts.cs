using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// Settles an attempt whose request may have been sent but whose answer from Plivo was never recorded (the dialer
/// stopped, or Redis failed, between sending the request and recording the answer). The callee may be ringing right now,
/// so the request is never sent again blindly: Plivo is asked first. A failed lookup throws, and the job retries the
/// lookup, not the call.
/// </summary>
public sealed class UnfinishedAttempts(
    PlivoCallFinder finder,
    CallTransitions transitions,
    DialEffects effects,
    DialGates gates,
    ICallCapacity capacity,
    IOptions<QueueOptions> queueOptions,
    TimeProvider time,
    ILogger<UnfinishedAttempts> logger)
{
    // How far Plivo's clock (a call detail record's initiation_time) may be behind ours when matching an attempt's call.
    private static readonly TimeSpan CallRecordClockSlack = TimeSpan.FromSeconds(5);

    public async Task SettleAsync(CallRecord call, CallAttempt last, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(last);
        if (last.RequestUuid is not null)
        {
            Log.NothingToDial(logger, call.CallId, $"attempt {last.Number} was placed (request_uuid {last.RequestUuid}); waiting for Plivo's callbacks");
            return;
        }

        var found = await finder.FindByNumberAsync(call.PhoneNumber, cancellationToken);
        if (found is not null)
        {
            var reason = $"Attempt {last.Number}: found at Plivo ({(found.IsLive ? "live" : "queued")}) after the dialer restarted; waiting for its callbacks";
            var adopted = await transitions.ApplyAsync(
                call.CallId, new FoundAtPlivo(last.Number, found.RequestUuid, found.CallUuid, found.IsLive, Ended: false, time.GetUtcNow(), reason), cancellationToken);
            Log.AdoptedFromPlivo(logger, call.CallId, last.Number, found.CallUuid);
            await capacity.TryAcquireSlotAsync(call.CallId, queueOptions.Value.MaxConcurrentCalls, gates.LeaseFor(call), queueOrder: -1, cancellationToken);

            // Handed to the agent as any placed call, also when a callback had named it first (as after Plivo's answer).
            await effects.RunAsync(call, adopted.Written ? adopted.Effects : [new NotifyAgent(last.Number)]);
            return;
        }

        // Nothing live or queued at Plivo: no line is held, so the slot goes back.
        await effects.ReleaseSlotAsync(call);

        // The call may have been placed and be over already: its call detail record is adopted, and the reconciler settles
        // the attempt from it (outcome, retry or not) as for any call whose hangup callback never came.
        var ended = await finder.FindEndedAsync(call.PhoneNumber, last.StartedAt - CallRecordClockSlack, cancellationToken);
        if (ended?.CallUuid is { } endedUuid)
        {
            var reason = $"Attempt {last.Number}: found ended at Plivo (call detail record {endedUuid}) after the dialer restarted; the reconciler settles it from that record";
            var adopted = await transitions.ApplyAsync(
                call.CallId, new FoundAtPlivo(last.Number, endedUuid, endedUuid, Live: false, Ended: true, last.StartedAt, reason), cancellationToken);
            if (adopted.Written)
            {
                Log.AdoptedFromPlivo(logger, call.CallId, last.Number, endedUuid);
                return;
            }
        }

        var unknown = $"Attempt {last.Number}: the result of the request to Plivo is unknown (Plivo's answer was never recorded, "
            + "and Plivo shows no live, queued or ended call to this number). Check Plivo's call log before requeueing.";
        var settled = await transitions.ApplyAsync(call.CallId, new ResultUnknown(last.Number, unknown), cancellationToken);
        if (!settled.Written)
        {
            return; // settled meanwhile by Plivo's callbacks: their word stands
        }

        Log.UnknownResult(logger, call.CallId, last.Number, unknown);
        await effects.RunAsync(call, settled.Effects);
    }
}
