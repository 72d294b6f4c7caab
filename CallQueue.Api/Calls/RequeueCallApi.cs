using CallQueue.Api.Audit;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Operators;

namespace CallQueue.Api.Calls;

/// <summary>
/// Operator requeues over HTTP; the requeue itself is <see cref="CallRequeuer"/>'s (the dashboard's rules,
/// <see cref="CallRequeue"/>): a failed, unknown or cancelled call is dialed again with a fresh attempt budget, its
/// history kept.
/// <list type="bullet">
/// <item>POST /api/calls/{call_id}/requeue: 200 with the call; 409 naming <c>call_status</c> for any other status
/// (completed: "Call already completed: not dialed again"); 404 for an unknown call.</item>
/// <item>POST /api/calls/requeue with <c>{ "campaign_id", "outcome", "from", "to", "limit" }</c>: the campaign's failed and
/// unknown calls whose last attempt ended with <c>outcome</c> (any when omitted), queued (created_at) between
/// <c>from</c> and <c>to</c> (inclusive, open-ended when omitted); completed and cancelled calls (and calls not ended)
/// are skipped with a reason.</item>
/// </list>
/// </summary>
public static class RequeueCallApi
{
    public const int DefaultBulkLimit = 1_000;
    public const int MaxBulkLimit = 10_000;

    private const long BodyLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapRequeueCallApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/calls/{callId}/requeue", RequeueAsync).WithTags("Calls").WithName("RequeueCall");
        app.MapPost("/calls/requeue", BulkRequeueAsync).WithTags("Calls").WithName("BulkRequeueCalls");
        return app;
    }

    private static async Task<IResult> RequeueAsync(string callId, HttpContext http, CallRequeuer requeuer, AuditRecorder audit, CancellationToken cancellationToken)
    {
        var result = await requeuer.RequeueAsync(callId, cancellationToken);
        switch (result)
        {
            case { Kind: RequeueKind.Requeued, Call: { } requeued }:
                await audit.RecordAsync(http.User, "requeue", "call:" + callId, 1, $"via the API (campaign {requeued.CampaignId})", cancellationToken);
                return TypedResults.Ok(requeued);
            case { Kind: RequeueKind.Refused, Call: { } refused }:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Call cannot be requeued",
                    detail: $"{result.Refusal}. Only failed, unknown or cancelled calls can be requeued.",
                    extensions: new Dictionary<string, object?> { ["call_status"] = refused.Status.ToWire() });
            default:
                return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
        }
    }

    private static async Task<IResult> BulkRequeueAsync(HttpContext http, CallRequeuer requeuer, AuditRecorder audit, CancellationToken cancellationToken)
    {
        var (request, problem) = await RequestBody.ReadAsync<BulkRequeueRequest>(http, BodyLimit);
        if (problem is not null)
        {
            return problem;
        }

        var errors = Validate(request!, out var outcome);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The requeue filter is not valid");
        }

        var filter = new BulkRequeueFilter(request!.CampaignId!, outcome, request.From, request.To, request.Limit ?? DefaultBulkLimit);
        var result = await requeuer.RequeueCampaignAsync(filter, cancellationToken);
        await audit.RecordAsync(http.User, "requeue", "campaign:" + filter.CampaignId, result.Requeued, "bulk via the API: " + result.Message, cancellationToken);
        return TypedResults.Ok(result);
    }

    private static Dictionary<string, string[]> Validate(BulkRequeueRequest request, out CallOutcome? outcome)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        outcome = null;
        if (string.IsNullOrWhiteSpace(request.CampaignId))
        {
            errors["campaign_id"] = ["campaign_id is required: a bulk requeue works on one campaign's calls."];
        }
        else if (!RequestFormats.IsCampaignId(request.CampaignId))
        {
            errors["campaign_id"] = [FormattableString.Invariant($"campaign_id must be at most {CallRequestLimits.CampaignIdMaxLength} characters, without control characters or '/': no campaign can have this id.")];
        }

        if (request.Outcome is { } wire)
        {
            outcome = Enum.GetValues<CallOutcome>().Select(value => (CallOutcome?)value).FirstOrDefault(value => value!.Value.ToWire() == wire);
            if (outcome is null)
            {
                errors["outcome"] = [$"outcome must be one of {string.Join(", ", Enum.GetValues<CallOutcome>().Select(value => value.ToWire()))}."];
            }
        }

        if (request.From is { } from && request.To is { } to && from > to)
        {
            errors["from"] = ["from must not be later than to."];
        }

        if (request.Limit is < 1 or > MaxBulkLimit)
        {
            errors["limit"] = [FormattableString.Invariant($"limit must be between 1 and {MaxBulkLimit}.")];
        }

        return errors;
    }
}
