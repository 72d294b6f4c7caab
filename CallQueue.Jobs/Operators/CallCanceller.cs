using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// Cancels a call on request (DELETE /api/calls/{call_id}). Not dialed yet (queued, scheduled, retry): cancelled and its
/// dial job deleted. Placed and not answered (dialing or ringing with a request_uuid): cancelled, then cancelled at Plivo;
/// the attempt's hangup callback (cause 1000) settles the attempt. Anything else is left alone (<see cref="CancelKind"/>).
/// The status changes through the state machine (<see cref="CancelCall"/>), so it cannot race the dial job's claim of an
/// attempt: whichever writes first wins, and the dial job never claims a cancelled call.
/// </summary>
public sealed class CallCanceller(ICallStore store, CallTransitions transitions, CallEffects effects, IPlivoClient plivo, ILogger<CallCanceller> logger)
{
    public const string CancelledReason = "Cancelled by request";

    public async Task<CancelResult> CancelAsync(string callId, CancellationToken cancellationToken)
    {
        var applied = await transitions.ApplyAsync(callId, new CancelCall(CancelledReason), cancellationToken);
        if (applied.Call is not { } call)
        {
            return new CancelResult(CancelKind.NotFound, null);
        }

        if (applied.Transition!.RefusedAs is { } refused)
        {
            return new CancelResult(refused == RefusalKind.InFlight ? CancelKind.InFlight : CancelKind.Refused, call);
        }

        if (applied.Transition.Effect<CancelAtPlivo>() is { } atPlivo)
        {
            return new CancelResult(CancelKind.Placed, await CancelAtPlivoAsync(call, atPlivo.Attempt));
        }

        // A worker that fetched the job meanwhile finds the call cancelled and does nothing.
        await effects.RunAsync(call, applied.Effects);
        Log.Cancelled(logger, callId, "its dial job was deleted");
        return new CancelResult(CancelKind.NotDialed, call);
    }

    /// <summary>
    /// Hangs up the ringing call (by call_uuid once the ring callback gave one) or cancels the request. The request's own
    /// token is not used: a client that goes away must not leave the callee ringing.
    /// </summary>
    private async Task<CallRecord> CancelAtPlivoAsync(CallRecord call, CallAttempt attempt)
    {
        try
        {
            var taken = attempt.CallUuid is { } callUuid
                ? await plivo.HangupCallAsync(callUuid, CancellationToken.None)
                : await plivo.CancelRequestAsync(attempt.RequestUuid!, CancellationToken.None);
            if (!taken && attempt.CallUuid is null)
            {
                // The request became a call in the meantime (a ring callback may just have brought its call_uuid).
                var latest = await store.GetAsync(call.CallId, CancellationToken.None);
                if (latest?.Attempts.FirstOrDefault(a => a.Number == attempt.Number)?.CallUuid is { } lateUuid)
                {
                    taken = await plivo.HangupCallAsync(lateUuid, CancellationToken.None);
                }
            }

            Log.Cancelled(logger, call.CallId, taken ? "Plivo took the cancellation" : "Plivo no longer knew the call (it had ended)");
            return call;
        }
        catch (Exception ex) when (ex is PlivoApiException or PlivoConnectionException)
        {
            var reason = $"{CancelledReason}; Plivo did not confirm the cancellation ({ex.Message}): the callee may ring until the ring timeout";
            Log.PlivoCancelFailed(logger, call.CallId, ex.Message);
            return (await transitions.ApplyAsync(call.CallId, new CancelUnconfirmed(reason), CancellationToken.None)).Call ?? call;
        }
    }
}
