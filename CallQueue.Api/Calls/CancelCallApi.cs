using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.States;

namespace CallQueue.Api.Calls;

/// <summary>
/// DELETE /api/calls/{call_id}: cancel a call. Not dialed yet (queued, scheduled, retry): cancelled and its dial job
/// deleted, 200. Placed and not answered (dialing or ringing with a request_uuid): cancelled, then cancelled at Plivo,
/// 202; the attempt's hangup callback (cause 1000) settles the attempt. Anything else is a 409 naming the status.
/// The status changes through <see cref="ICallStore.UpdateAsync"/>, so it cannot race the dial job's claim of an
/// attempt: whichever writes first wins, and the dial job never claims a cancelled call.
/// </summary>
public static partial class CancelCallApi
{
    public const string CancelledReason = "Cancelled by request";

    public static IEndpointRouteBuilder MapCancelCallApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/calls/{callId}", CancelAsync).WithTags("Calls").WithName("CancelCall");
        return app;
    }

    private static async Task<IResult> CancelAsync(
        string callId, HttpContext http, ICallStore store, IBackgroundJobClient jobs, IPlivoClient plivo, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var kind = Kind.Refused;
        var call = await store.UpdateAsync(
            callId,
            current =>
            {
                kind = Classify(current);
                return kind is Kind.NotDialed or Kind.Placed
                    ? current with { Status = CallStatus.Cancelled, StatusReason = CancelledReason, NextAttemptAt = null }
                    : null;
            },
            cancellationToken);
        if (call is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
        }

        var logger = logs.CreateLogger(typeof(CancelCallApi));
        switch (kind)
        {
            case Kind.NotDialed:
                if (call.JobId is not null)
                {
                    // A worker that fetched the job meanwhile finds the call cancelled and does nothing.
                    jobs.ChangeState(call.JobId, new DeletedState { Reason = CancelledReason });
                }

                LogCancelled(logger, callId, "its dial job was deleted");
                return TypedResults.Ok(call);
            case Kind.Placed:
                return TypedResults.Accepted($"/api/calls/{Uri.EscapeDataString(callId)}", await CancelAtPlivoAsync(call, store, plivo, logger));
            case Kind.InFlight:
                http.Response.Headers.RetryAfter = "1";
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Call is being dialed",
                    detail: $"Call {callId} is being dialed right now; try again in a moment.",
                    extensions: new Dictionary<string, object?> { ["call_status"] = call.Status.ToWire() });
            default:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Call cannot be cancelled",
                    detail: $"Call {callId} is {call.Status.ToWire()}: only queued, scheduled, retry, dialing or ringing calls can be cancelled.",
                    extensions: new Dictionary<string, object?> { ["call_status"] = call.Status.ToWire() });
        }
    }

    private static Kind Classify(CallRecord call) => call.Status switch
    {
        CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry => Kind.NotDialed,
        CallStatus.Dialing or CallStatus.Ringing when call.LastAttempt is { Outcome: null, RequestUuid: not null } => Kind.Placed,

        // Claimed, request to Plivo not answered yet: cancelling now could not stop the call Plivo is about to place.
        CallStatus.Dialing or CallStatus.Ringing => Kind.InFlight,
        _ => Kind.Refused,
    };

    /// <summary>
    /// Hangs up the ringing call (by call_uuid once the ring callback gave one) or cancels the request. The request's own
    /// token is not used: a client that goes away must not leave the callee ringing.
    /// </summary>
    private static async Task<CallRecord> CancelAtPlivoAsync(CallRecord call, ICallStore store, IPlivoClient plivo, ILogger logger)
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

            LogCancelled(logger, call.CallId, taken ? "Plivo took the cancellation" : "Plivo no longer knew the call (it had ended)");
            return call;
        }
        catch (Exception ex) when (ex is PlivoApiException or PlivoConnectionException)
        {
            var reason = $"{CancelledReason}; Plivo did not confirm the cancellation ({ex.Message}): the callee may ring until the ring timeout";
            LogPlivoCancelFailed(logger, call.CallId, ex.Message);
            return await store.UpdateAsync(call.CallId, current => current with { StatusReason = reason }, CancellationToken.None) ?? call;
        }
    }

    private enum Kind
    {
        Refused,
        NotDialed,
        Placed,
        InFlight,
    }

    [LoggerMessage(8101, LogLevel.Information, "Call {CallId}: cancelled by request; {Detail}")]
    private static partial void LogCancelled(ILogger logger, string callId, string detail);

    [LoggerMessage(8102, LogLevel.Warning, "Call {CallId}: cancelled by request, but Plivo did not confirm the cancellation: {Error}")]
    private static partial void LogPlivoCancelFailed(ILogger logger, string callId, string error);
}
