using System.Globalization;
using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Operators;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.States;

namespace CallQueue.Api.Calls;

/// <summary>
/// Operator requeues over HTTP, with the dashboard's rules (<see cref="CallRequeue"/>): a failed, unknown or cancelled
/// call is dialed again with a fresh attempt budget, its history kept.
/// <list type="bullet">
/// <item>POST /api/calls/{call_id}/requeue: 200 with the call; 409 naming <c>call_status</c> for any other status
/// (completed: "Call already completed: not dialed again"); 404 for an unknown call.</item>
/// <item>POST /api/calls/requeue with <c>{ "campaign_id", "outcome", "from", "to", "limit" }</c>: the campaign's failed and
/// unknown calls whose last attempt ended with <c>outcome</c> (any when omitted), queued (created_at) between
/// <c>from</c> and <c>to</c> (inclusive, open-ended when omitted); completed and cancelled calls (and calls not ended)
/// are skipped with a reason. Walks the campaign's index (no key scans).</item>
/// </list>
/// The call's own Hangfire job is moved to Enqueued, so its history on the dashboard stays the call's history;
/// <see cref="OperatorRequeueFilter"/> gives the fresh budget exactly as for the dashboard's button. A call whose job is
/// gone (Deleted jobs expire after a day) gets a new one.
/// </summary>
public static partial class RequeueCallApi
{
    public const int DefaultBulkLimit = 1_000;
    public const int MaxBulkLimit = 10_000;

    /// <summary>Most campaign calls one bulk request reads.</summary>
    public const int ScanBudget = 100_000;

    private const int Chunk = 500;
    private const int MaxSkippedListed = 1_000;
    private const long BodyLimit = 16 * 1024;

    public static IEndpointRouteBuilder MapRequeueCallApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/calls/{callId}/requeue", RequeueAsync).WithTags("Calls").WithName("RequeueCall");
        app.MapPost("/calls/requeue", BulkRequeueAsync).WithTags("Calls").WithName("BulkRequeueCalls");
        return app;
    }

    private static async Task<IResult> RequeueAsync(
        string callId, ICallStore store, IBackgroundJobClient jobs, DialJobFactory dialJobs, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var call = await store.GetAsync(callId, cancellationToken);
        if (call is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.");
        }

        var (requeued, refusal) = await RequeueOneAsync(call, store, jobs, dialJobs, time, cancellationToken);
        if (refusal is not null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Call cannot be requeued",
                detail: $"{refusal}. Only failed, unknown or cancelled calls can be requeued.",
                extensions: new Dictionary<string, object?> { ["call_status"] = requeued.Status.ToWire() });
        }

        LogRequeued(logs.CreateLogger(typeof(RequeueCallApi)), callId, requeued.JobId);
        return TypedResults.Ok(requeued);
    }

    private static async Task<IResult> BulkRequeueAsync(
        HttpContext http, ICallStore store, IBackgroundJobClient jobs, DialJobFactory dialJobs, TimeProvider time, ILoggerFactory logs, CancellationToken cancellationToken)
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

        var limit = request!.Limit ?? DefaultBulkLimit;
        var fromMs = request.From?.ToUnixTimeMilliseconds();
        CampaignCursor? position = request.To is { } to ? new CampaignCursor(to.ToUnixTimeMilliseconds(), 0) : null;
        var skipped = new List<SkippedCall>();
        int matched = 0, requeuedCount = 0, skippedCount = 0, scanned = 0;
        var truncated = false;
        var ended = false;
        while (!ended && !truncated)
        {
            var entries = await store.GetCampaignCallIdsAsync(request.CampaignId!, position, Chunk, cancellationToken);
            var inRange = entries.TakeWhile(entry => fromMs is null || entry.CreatedAtMs >= fromMs).ToList();
            ended = inRange.Count < Chunk;
            var records = (await store.GetManyAsync(inRange.Select(entry => entry.CallId).ToList(), cancellationToken))
                .ToDictionary(record => record.CallId, StringComparer.Ordinal);
            foreach (var entry in inRange)
            {
                if (requeuedCount >= limit || scanned >= ScanBudget)
                {
                    truncated = true;
                    break;
                }

                position = CampaignCursor.After(position, entry);
                scanned++;
                if (!records.TryGetValue(entry.CallId, out var call) || (outcome is not null && call.LastAttempt?.Outcome != outcome))
                {
                    continue;
                }

                matched++;
                var refusal = call.Status == CallStatus.Cancelled
                    ? "Call is cancelled: a bulk requeue leaves cancelled calls alone (requeue it by itself with POST /api/calls/{call_id}/requeue)"
                    : CallRequeue.Refusal(call);
                if (refusal is null)
                {
                    (_, refusal) = await RequeueOneAsync(call, store, jobs, dialJobs, time, cancellationToken);
                }

                if (refusal is null)
                {
                    requeuedCount++;
                }
                else if (++skippedCount <= MaxSkippedListed)
                {
                    skipped.Add(new SkippedCall(call.CallId, refusal));
                }
            }
        }

        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"{requeuedCount} requeued, {skippedCount} skipped of {matched} matching calls")
            + (truncated ? $"; stopped at the limit ({limit} requeued or {ScanBudget} read): post the same request again to go on" : string.Empty);
        LogBulkRequeued(logs.CreateLogger(typeof(RequeueCallApi)), request.CampaignId!, message);
        return TypedResults.Ok(new BulkRequeueResponse(matched, requeuedCount, skipped, skippedCount, truncated, message));
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

    /// <summary>Requeues <paramref name="call"/>: its job to Enqueued (the filter does the rest), or a new job if it has none.</summary>
    private static async Task<(CallRecord Call, string? Refusal)> RequeueOneAsync(
        CallRecord call, ICallStore store, IBackgroundJobClient jobs, DialJobFactory dialJobs, TimeProvider time, CancellationToken cancellationToken)
    {
        if (CallRequeue.Refusal(call) is { } refusal)
        {
            return (call, refusal);
        }

        if (call.JobId is { } jobId && jobs.ChangeState(jobId, new EnqueuedState { Reason = CallRequeue.ApiStateReason }))
        {
            var after = await store.GetAsync(call.CallId, cancellationToken) ?? call;

            // Still ended: the filter refused it (the call moved on meanwhile) or the job was not the call's.
            return after.Status.IsTerminal()
                ? (after, CallRequeue.Refusal(after) ?? $"Call is {after.Status.ToWire()}: its job {jobId} was requeued but the call was not")
                : (after, null);
        }

        // No dial job, or it expired: the call is queued again under a new one.
        string? refusedNow = null;
        var updated = await store.UpdateAsync(
            call.CallId,
            current =>
            {
                refusedNow = CallRequeue.Refusal(current);
                return refusedNow is null ? CallRequeue.Apply(current, "API", time.GetUtcNow()) with { JobId = null } : null;
            },
            cancellationToken);
        if (updated is null || refusedNow is not null)
        {
            return (updated ?? call, refusedNow ?? "Call no longer exists");
        }

        var newJobId = await dialJobs.CreateAsync(updated, cancellationToken);
        return (updated with { JobId = newJobId }, null);
    }

    [LoggerMessage(8201, LogLevel.Information, "Call {CallId}: requeued by operator via the API (job {JobId})")]
    private static partial void LogRequeued(ILogger logger, string callId, string? jobId);

    [LoggerMessage(8202, LogLevel.Information, "Bulk requeue of campaign {CampaignId}: {Summary}")]
    private static partial void LogBulkRequeued(ILogger logger, string campaignId, string summary);
}
