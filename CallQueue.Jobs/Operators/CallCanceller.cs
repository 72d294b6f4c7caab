using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// Cancels a call on request (DELETE /api/calls/{call_id}). Not dialed yet (queued, scheduled, retry): cancelled and its
/// dial job deleted. Placed and not answered (dialing or ringing with a request_uuid): cancelled, then cancelled at Plivo;
/// the attempt's hangup callback (cause 1000) settles the attempt. Anything else is left alone (<see cref="CancelKind"/>).
/// The status changes through <see cref="ICallStore.UpdateAsync"/>, so it cannot race the dial job's claim of an
/// attempt: whichever writes first wins, and the dial job never claims a cancelled call.
/// </summary>
public sealed class CallCanceller(ICallStore store, IBackgroundJobClient jobs, IPlivoClient plivo, ILogger<CallCanceller> logger)
{
    public const string CancelledReason = "Cancelled by request";

    public async Task<CancelResult> CancelAsync(string callId, CancellationToken cancellationToken)
    {
        var kind = CancelKind.Refused;
        var call = await store.UpdateAsync(
            callId,
            current =>
            {
                kind = Classify(current);
                return kind is CancelKind.NotDialed or CancelKind.Placed
                    ? current with { Status = CallStatus.Cancelled, StatusReason = CancelledReason, NextAttemptAt = null }
                    : null;
            },
            cancellationToken);
        if (call is null)
        {
            return new CancelResult(CancelKind.NotFound, null);
        }

        switch (kind)
        {
            case CancelKind.NotDialed:
                if (call.JobId is not null)
                {
                    // A worker that fetched the job meanwhile finds the call cancelled and does nothing.
                    jobs.ChangeState(call.JobId, new DeletedState { Reason = CancelledReason });
                }

                Log.Cancelled(logger, callId, "its dial job was deleted");
                return new CancelResult(kind, call);
            case CancelKind.Placed:
                return new CancelResult(kind, await CancelAtPlivoAsync(call));
            default:
                return new CancelResult(kind, call);
        }
    }

    private static CancelKind Classify(CallRecord call) => call.Status switch
    {
        CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry => CancelKind.NotDialed,
        CallStatus.Dialing or CallStatus.Ringing when call.LastAttempt is { Outcome: null, RequestUuid: not null } => CancelKind.Placed,

        // Claimed, request to Plivo not answered yet: cancelling now could not stop the call Plivo is about to place.
        CallStatus.Dialing or CallStatus.Ringing => CancelKind.InFlight,
        _ => CancelKind.Refused,
    };

    /// <summary>
    /// Hangs up the ringing call (by call_uuid once the ring callback gave one) or cancels the request. The request's own
    /// token is not used: a client that goes away must not leave the callee ringing.
    /// </summary>
    private async Task<CallRecord> CancelAtPlivoAsync(CallRecord call)
    {
        var attempt = call.LastAttempt!;
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
            return await store.UpdateAsync(call.CallId, current => current with { StatusReason = reason }, CancellationToken.None) ?? call;
        }
    }
}
