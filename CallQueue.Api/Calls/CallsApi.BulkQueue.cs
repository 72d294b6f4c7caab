using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using FluentValidation;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>POST /api/calls/bulk-queue: a batch as JSON or CSV, one validation and queuing path for both.</summary>
public static partial class CallsApi
{
    private static async Task<IResult> BulkQueueAsync(
        HttpContext http,
        IValidator<BulkQueueRequest> batchValidator,
        IValidator<QueueCallRequest> callValidator,
        ICallStore store,
        IBackgroundJobClient jobs,
        CallSafety safety,
        IDoNotCallList doNotCall,
        UnacknowledgedCallWithdrawal withdrawal,
        IOptions<QueueOptions> queue,
        TimeProvider time,
        CallWebhookEvents events,
        IWebhookDispatcher webhooks,
        ICampaignStates campaigns,
        ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (batch, idempotencyKey, problem) = await ReadValidBatchAsync(http, batchValidator, callValidator, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (request, naming) = (batch!.Request, batch.Naming);

        // Calls without a custom_call_id get an id derived from the batch and their position, so re-posting the same
        // batch (same batch_id or Idempotency-Key) finds them again instead of creating new calls.
        var batchId = request.BatchId ?? (idempotencyKey is null ? NewBatchId() : RequestFormats.BatchIdFromIdempotencyKey(idempotencyKey));
        var now = time.GetUtcNow();
        var calls = request.Calls!.Select(item => item is null ? null : BulkDefaultsMerge.Apply(item, request.Defaults, request.ExpiresAt)).ToList();
        var items = new BulkItemResult?[calls.Count];
        var records = new List<CallRecord>(items.Length);
        var positions = new List<int>(items.Length);
        for (var index = 0; index < items.Length; index++)
        {
            if (calls[index] is not { } item)
            {
                items[index] = Rejected(naming, index, null, new Dictionary<string, string[]> { [string.Empty] = ["A call object is required."] });
                continue;
            }

            var errors = callValidator.Validate(item).ToDictionary();
            if (batch.ReadErrors is not null && batch.ReadErrors.TryGetValue(index, out var readErrors))
            {
                foreach (var (path, messages) in readErrors)
                {
                    errors[path] = messages; // a cell that could not be read: the field was left out, so this is its error
                }
            }

            if (errors.Count > 0)
            {
                items[index] = Rejected(naming, index, item, errors);
                continue;
            }

            var callId = item.CustomCallId ?? FormattableString.Invariant($"{batchId}-{index:D5}");
            records.Add(CallRecordFactory.Create(item, callId, batchId, idempotencyKey: null, queue.Value, now));
            positions.Add(index);
        }

        (records, positions) = await ApplySafetyAsync(calls, naming, records, positions, items, safety, doNotCall, now, cancellationToken);
        var admitted = await CampaignAdmission.ApplyAsync(records, campaigns, cancellationToken);
        if (admitted.Count > 0 && admitted.All(result => result.Refused is not null))
        {
            // Every call of the request is for a cancelled campaign or batch: the request itself is refused.
            var (field, error) = CampaignAdmission.Describe(admitted[0].Refused!);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The batch's campaign takes no new calls",
                detail: $"{field}: {error}",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = CampaignState.Cancelled.ToWire(), ["field"] = field });
        }

        (records, positions) = Admit(calls, naming, admitted, positions, items);
        var stored = records.Count == 0 ? [] : await CreateOrWithdrawAsync(store, withdrawal, records, cancellationToken);
        var blocked = 0;
        for (var i = 0; i < stored.Count; i++)
        {
            var (record, position) = (records[i], positions[i]);
            var status = !stored[i].Created ? "duplicate" : record.Status == CallStatus.Blocked ? "blocked" : "queued";
            var reason = status == "blocked" || (status == "queued" && record.Hold is not null) ? record.StatusReason : null;
            items[position] = new BulkItemResult(position, status, stored[i].CallId, null, reason, naming.Row(position), calls[position]!.PhoneNumber);
            blocked += status == "blocked" ? 1 : 0;
            if (stored[i].Created)
            {
                CountSafety(record);
            }
        }

        var created = stored.Count(result => result.Created);
        CallQueueMetrics.CallsQueued.Add(created);
        await DispatchCreatedEventsAsync(records.Where((record, i) => stored[i].Created && record.Status.IsTerminal()).ToList(), events, webhooks);
        if (stored.Count > 0)
        {
            // Duplicates too: a re-posted batch whose first post was answered 503 gets its dial jobs now.
            try
            {
                jobs.Enqueue<CreateDialJobsJob>(HangfireQueues.InternalQueue, job => job.ForBatchAsync(batchId, CancellationToken.None));
            }
            catch (Exception ex) when (CallQueueExceptionHandler.IsStorageOutage(ex, cancellationToken))
            {
                // As for a single call: the calls are stored, so the batch is accepted; the sweep creates their dial jobs.
                LogJobDeferred(logs.CreateLogger(typeof(CallsApi)), batchId, ex.GetType().Name);
            }
        }

        var results = items.Select(item => item!).ToList();
        var duplicates = stored.Count - created;
        var rejected = items.Length - stored.Count;
        var queued = created - blocked;
        var response = new BulkQueueResponse(
            Success: rejected < items.Length,
            batchId,
            items.Length,
            queued,
            duplicates,
            rejected,
            blocked,
            TotalCalls: items.Length,
            Successful: stored.Count,
            Failed: rejected,
            FormattableString.Invariant($"{queued} queued, {duplicates} already queued, {rejected} rejected")
                + (blocked == 0 ? string.Empty : FormattableString.Invariant($", {blocked} blocked (on the do-not-call list, not queued for dialing)")),
            results);
        return TypedResults.Accepted($"/api/batches/{Uri.EscapeDataString(batchId)}", response);
    }

    /// <summary>
    /// What the bulk endpoint checks first, in this order: the Idempotency-Key header, the body (JSON or CSV: media type,
    /// size, syntax), the envelope, then the defaults (once, by their own names). Returns the batch and the key, or the
    /// problem to answer.
    /// </summary>
    private static async Task<(BulkBatch? Batch, string? IdempotencyKey, IResult? Problem)> ReadValidBatchAsync(
        HttpContext http, IValidator<BulkQueueRequest> batchValidator, IValidator<QueueCallRequest> callValidator, CancellationToken cancellationToken)
    {
        var (idempotencyKey, keyProblem) = ReadIdempotencyKey(http);
        if (keyProblem is not null)
        {
            return (null, null, keyProblem);
        }

        BulkBatch? batch;
        if (CsvBatchReader.IsCsv(http.Request))
        {
            (batch, var csvProblem) = await CsvBatchReader.ReadAsync(http, BatchBodyLimit);
            if (csvProblem is not null)
            {
                return (null, null, csvProblem);
            }
        }
        else if (http.Request.ContentType is null || http.Request.HasJsonContentType())
        {
            var (request, jsonProblem) = await RequestBody.ReadAsync<BulkQueueRequest>(http, BatchBodyLimit);
            if (jsonProblem is not null)
            {
                return (null, null, jsonProblem);
            }

            batch = new BulkBatch(request!, BulkItemNaming.Json);
        }
        else
        {
            return (null, null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type",
                detail: $"Send the batch as JSON (Content-Type: application/json) or as CSV (Content-Type: {CsvBatchReader.MediaType}), not {http.Request.ContentType}."));
        }

        var validation = await batchValidator.ValidateAsync(batch!.Request, cancellationToken);
        if (!validation.IsValid)
        {
            return (null, null, TypedResults.ValidationProblem(validation.ToDictionary(), title: "The batch is not valid"));
        }

        var defaultsErrors = BulkDefaultsMerge.Check(batch.Request.Defaults, callValidator);
        return defaultsErrors.Count == 0
            ? (batch, idempotencyKey, null)
            : (null, null, TypedResults.ValidationProblem(batch.Naming.DefaultsErrors(defaultsErrors), title: "The batch's defaults are not valid"));
    }

    /// <summary>A rejected item: its errors (by wire path) named as <paramref name="naming"/> says, and the seed's one-line error.</summary>
    private static BulkItemResult Rejected(BulkItemNaming naming, int index, QueueCallRequest? item, IDictionary<string, string[]> errors) => new(
        index,
        "rejected",
        item?.CustomCallId,
        naming.ItemErrors(index, errors),
        Row: naming.Row(index),
        PhoneNumber: item?.PhoneNumber,
        Error: naming.ErrorLine(index, errors));

    /// <summary>The items a cancelled campaign or batch refuses become rejected items naming campaign_id or batch_id; the rest go on.</summary>
    private static (List<CallRecord> Records, List<int> Positions) Admit(
        List<QueueCallRequest?> calls, BulkItemNaming naming, IReadOnlyList<(CallRecord? Call, CampaignHold? Refused)> admitted, List<int> positions, BulkItemResult?[] items)
    {
        var kept = new List<CallRecord>(admitted.Count);
        var keptPositions = new List<int>(admitted.Count);
        for (var i = 0; i < admitted.Count; i++)
        {
            var index = positions[i];
            if (admitted[i].Call is { } record)
            {
                kept.Add(record);
                keptPositions.Add(index);
            }
            else
            {
                var (field, error) = CampaignAdmission.Describe(admitted[i].Refused!);
                items[index] = Rejected(naming, index, calls[index], new Dictionary<string, string[]> { [field] = [error] });
            }
        }

        return (kept, keptPositions);
    }

    /// <summary>
    /// Applies <see cref="QueueTimeSafety"/> to a bulk request's valid items: those it refuses become rejected items
    /// (their field named as the other errors are), the rest are returned, blocked or held as it decided, with their positions.
    /// </summary>
    private static async Task<(List<CallRecord> Records, List<int> Positions)> ApplySafetyAsync(
        List<QueueCallRequest?> calls,
        BulkItemNaming naming,
        List<CallRecord> records,
        List<int> positions,
        BulkItemResult?[] items,
        CallSafety safety,
        IDoNotCallList doNotCall,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return (records, positions);
        }

        var verdicts = await QueueTimeSafety.ApplyAsync(records, safety, doNotCall, now, cancellationToken);
        var kept = new List<CallRecord>(records.Count);
        var keptPositions = new List<int>(records.Count);
        for (var i = 0; i < verdicts.Count; i++)
        {
            var index = positions[i];
            if (verdicts[i].Call is { } record)
            {
                kept.Add(record);
                keptPositions.Add(index);
            }
            else
            {
                items[index] = Rejected(naming, index, calls[index], new Dictionary<string, string[]> { [verdicts[i].Field!] = [verdicts[i].Error!] });
            }
        }

        return (kept, keptPositions);
    }
}
