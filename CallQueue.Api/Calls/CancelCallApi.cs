using CallQueue.Api.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Operators;

namespace CallQueue.Api.Calls;

/// <summary>
/// DELETE /api/calls/{call_id}: cancel a call; the cancel itself is <see cref="CallCanceller"/>'s. Not dialed yet (queued,
/// scheduled, retry): cancelled and its dial job deleted, 200. Placed and not answered (dialing or ringing with a
/// request_uuid): cancelled, then cancelled at Plivo, 202. Being dialed right now: 409 with Retry-After. Anything else is
/// a 409 naming the status.
/// </summary>
public static class CancelCallApi
{
    public static IEndpointRouteBuilder MapCancelCallApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/calls/{callId}", CancelAsync).WithTags("Calls").WithName("CancelCall");
        return app;
    }

    private static async Task<IResult> CancelAsync(string callId, HttpContext http, CallCanceller canceller, AuditRecorder audit, CancellationToken cancellationToken)
    {
        var (kind, call) = await canceller.CancelAsync(callId, cancellationToken);
        if (call is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
        }

        if (kind is CancelKind.NotDialed or CancelKind.Placed)
        {
            var detail = kind == CancelKind.Placed ? "placed, cancelled at Plivo" : "not dialed yet";
            await audit.RecordAsync(http.User, "cancel", "call:" + callId, 1, $"{detail} (campaign {call.CampaignId})", cancellationToken);
        }

        switch (kind)
        {
            case CancelKind.NotDialed:
                return TypedResults.Ok(call);
            case CancelKind.Placed:
                return TypedResults.Accepted($"/api/calls/{Uri.EscapeDataString(callId)}", call);
            case CancelKind.InFlight:
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
}
