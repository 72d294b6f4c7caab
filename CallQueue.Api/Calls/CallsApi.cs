using CallQueue.Api.Errors;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallQueue.Api.Calls;

/// <summary>Queue calls (one or a batch) and read them back (DESIGN.md §5).</summary>
public static partial class CallsApi
{
    private const long SingleCallBodyLimit = 64 * 1024;
    private const long BatchBodyLimit = 32 * 1024 * 1024;
    private const int ActiveCallsLimit = 1_000;

    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls").WithTags("Calls");
        calls.MapPost("/queue", QueueAsync).WithName("QueueCall");
        calls.MapPost("/outbound", QueueAsync).WithName("QueueCallOutbound");
        calls.MapPost("/bulk-queue", BulkQueueAsync).WithName("BulkQueueCalls");
        calls.MapGet("/active", ActiveAsync).WithName("ActiveCalls");
        calls.MapGet("/{callId}", GetAsync).WithName("GetCall");
        calls.MapGet("/{callId}/status", GetAsync).WithName("GetCallStatus");
        return app;
    }

    private static async Task<IResult> QueueAsync(
        HttpContext http,
        IValidator<QueueCallRequest> validator,
        ICallStore store,
        DialJobFactory jobs,
        CallSafety safety,
        IDoNotCallList doNotCall,
        UnacknowledgedCallWithdrawal withdrawal,
        IOptions<QueueOptions> queue,
        TimeProvider time,
        CallWebhookEvents events,
        IWebhookDispatcher webhooks,
        QueuePositionEstimator estimator,
        ICampaignStates campaigns,
        EnqueueChecks checks,
        ILoggerFactory logs,
        CancellationToken cancellationToken)
    {
        var (request, idempotencyKey, problem) = await ReadValidRequestAsync(http, validator, SingleCallBodyLimit, "The call is not valid", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var now = time.GetUtcNow();
        var built = CallRecordFactory.Create(
            request!,
            request!.CustomCallId ?? NewCallId(),
            batchId: null,
            idempotencyKey,
            queue.Value,
            now);
        // One round trip (issue 15): a call to be dialed now, inside its calling hours, is written with its dial job, and
        // Redis checks in the same step that nothing would change it (no do-not-call entry for the number, no state recorded
        // for its campaign or batch: EnqueueChecks). Whatever it finds sends the call the way below, which reads each and
        // decides with its reasons.
        if (WriterWithJob(store, built, now) is { } guarded && safety.Check(built, now) is null)
        {
            var (written, enqueued) = await CreateEnqueuedOrWithdrawAsync(guarded, withdrawal, built, checks.For(built), cancellationToken);
            if (enqueued.Created is { Created: true })
            {
                CallQueueMetrics.CallsQueued.Add(1);
                return AcceptedCall(written, estimator.Estimate(written, EnqueueChecks.Lengths(enqueued), now));
            }

            if (enqueued.Created is { } existing)
            {
                return await DuplicateAsync(store, jobs, existing, built, cancellationToken);
            }
        }

        // The do-not-call lookup, the campaign's state and the queues ahead (the call's own job is not there yet) in one
        // round trip.
        var reading = estimator.ReadQueuesAsync(cancellationToken);
        var holding = campaigns.HoldOfAsync(built, cancellationToken);
        var checking = QueueTimeSafety.ApplyAsync([built], safety, doNotCall, now, cancellationToken);
        await Task.WhenAll(reading, holding, checking);
        var verdict = (await checking)[0];
        if (verdict.Call is not { } record)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [verdict.Field!] = [verdict.Error!] }, title: "The call is not valid");
        }

        var (admitted, refused) = CampaignAdmission.Decide(record, await holding);
        if (refused is not null)
        {
            var (field, error) = CampaignAdmission.Describe(refused);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The call's campaign takes no new calls",
                detail: $"{field}: {error}",
                extensions: new Dictionary<string, object?>(StringComparer.Ordinal) { ["state"] = refused.State.ToWire(), ["field"] = field });
        }

        record = admitted!;

        // Counted before the call is stored and its job created: the jobs ahead of it, not itself (a Redis failure there
        // is a 503 with nothing queued).
        var estimate = estimator.Estimate(record, await reading, now);
        if (WriterWithJob(store, record, now) is { } enqueuing)
        {
            // The call as decided above (a paused campaign's, say) and its dial job in one atomic write, checked already.
            var (written, enqueued) = await CreateEnqueuedOrWithdrawAsync(enqueuing, withdrawal, record, EnqueueGuard.None, cancellationToken);
            var result = enqueued.Created!.Value;
            if (result.Created)
            {
                CallQueueMetrics.CallsQueued.Add(1);
                CountSafety(written);
                return AcceptedCall(written, estimate);
            }

            return await DuplicateAsync(store, jobs, result, record, cancellationToken);
        }

        var stored = (await CreateOrWithdrawAsync(store, withdrawal, [record], cancellationToken))[0];
        if (!stored.Created)
        {
            return await DuplicateAsync(store, jobs, stored, record, cancellationToken);
        }

        CallQueueMetrics.CallsQueued.Add(1);
        CountSafety(record);
        if (record.Status.IsTerminal())
        {
            await DispatchCreatedEventsAsync([record], events, webhooks);

            // Blocked: stored with its reason, never dialed, so no dial job.
            return AcceptedCall(record, estimate);
        }

        string? jobId = null;
        try
        {
            jobId = await jobs.CreateAsync(record, cancellationToken);
        }
        catch (Exception ex) when (CallQueueExceptionHandler.IsStorageOutage(ex, cancellationToken))
        {
            // The call is stored: it is accepted, and the sweep creates its dial job once storage answers again. A 503
            // here would be a lie, and a client retrying it without custom_call_id would queue the person twice.
            LogJobDeferred(logs.CreateLogger(typeof(CallsApi)), record.CallId, ex.GetType().Name);
        }

        return AcceptedCall(record with { JobId = jobId }, estimate);
    }

    /// <summary>
    /// The store that can write <paramref name="record"/> together with its dial job (IEnqueuingCallStore), or null: a
    /// store without it, a call not to be enqueued now, or a traced request (the record keeps its trace parent; Hangfire's
    /// client gives the job the trace's parent too).
    /// </summary>
    private static IEnqueuingCallStore? WriterWithJob(ICallStore store, CallRecord record, DateTimeOffset now) =>
        store is IEnqueuingCallStore { CanEnqueue: true } enqueuing && DialJobFactory.EnqueuesNow(record, now) && record.TraceParent is null
            ? enqueuing
            : null;

    private static Accepted<QueuedCallResponse> AcceptedCall(CallRecord call, QueueEstimate? estimate) =>
        TypedResults.Accepted($"/api/calls/{Uri.EscapeDataString(call.CallId)}", Describe(call, duplicate: false, estimate));

    /// <summary>
    /// What both queue endpoints check first, in this order: the Idempotency-Key header, the JSON body (size, syntax), then
    /// the validator. Returns the request and its key, or the problem to answer.
    /// </summary>
    private static async Task<(T? Request, string? IdempotencyKey, IResult? Problem)> ReadValidRequestAsync<T>(
        HttpContext http, IValidator<T> validator, long bodyLimit, string invalidTitle, CancellationToken cancellationToken)
        where T : class
    {
        var (idempotencyKey, keyProblem) = ReadIdempotencyKey(http);
        if (keyProblem is not null)
        {
            return (null, null, keyProblem);
        }

        var (request, problem) = await RequestBody.ReadAsync<T>(http, bodyLimit);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var validation = await validator.ValidateAsync(request!, cancellationToken);
        return validation.IsValid
            ? (request, idempotencyKey, null)
            : (null, null, TypedResults.ValidationProblem(validation.ToDictionary(), title: invalidTitle));
    }

    /// <summary>The Idempotency-Key header (null when not sent), or the 400 naming it.</summary>
    private static (string? Key, IResult? Problem) ReadIdempotencyKey(HttpContext http)
    {
        var key = http.Request.Headers.TryGetValue(IdempotencyKey.HeaderName, out var header) ? header.ToString() : null;
        return IdempotencyKey.TryValidate(key, out var error)
            ? (key, null)
            : (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyKey.HeaderName] = [error] }));
    }

    /// <summary>
    /// Stores the calls; when Redis fails mid-write the request is answered 503 (the exception goes on to the handler),
    /// and whatever of it may have landed is taken back, so a 503 means "nothing was queued".
    /// </summary>
    private static async Task<IReadOnlyList<CreateCallResult>> CreateOrWithdrawAsync(
        ICallStore store, UnacknowledgedCallWithdrawal withdrawal, IReadOnlyList<CallRecord> records, CancellationToken cancellationToken)
    {
        try
        {
            return await store.CreateAsync(records, cancellationToken);
        }
        catch (Exception ex) when (CallQueueExceptionHandler.IsStorageOutage(ex, cancellationToken))
        {
            withdrawal.Withdraw(records);
            throw;
        }
    }

    /// <summary>The answer to a call already stored under its id or idempotency key.</summary>
    private static async Task<Ok<QueuedCallResponse>> DuplicateAsync(
        ICallStore store, DialJobFactory jobs, CreateCallResult stored, CallRecord record, CancellationToken cancellationToken)
    {
        var existing = await store.GetAsync(stored.CallId, cancellationToken);
        if (existing is { JobId: null, Attempts.Count: 0 })
        {
            // Stored without a job yet (maybe by a request answered 503 that this one retries): give it its job now,
            // so the "already queued" answer holds even against that request's withdrawal.
            existing = existing with { JobId = await jobs.CreateAsync(existing, cancellationToken) };
        }

        return TypedResults.Ok(Describe(existing ?? record, duplicate: true));
    }

    /// <summary>
    /// As <see cref="CreateOrWithdrawAsync"/>, for <paramref name="record"/> stored with a new dial job under
    /// <paramref name="guard"/>: the record as written (its job id set) and what the write did.
    /// </summary>
    private static async Task<(CallRecord Written, EnqueueResult Result)> CreateEnqueuedOrWithdrawAsync(
        IEnqueuingCallStore store, UnacknowledgedCallWithdrawal withdrawal, CallRecord record, EnqueueGuard guard, CancellationToken cancellationToken)
    {
        var job = InlineDialJob.For(record);
        var written = record with { JobId = job.Id };
        try
        {
            return (written, await store.CreateEnqueuedAsync(written, job, guard, cancellationToken));
        }
        catch (Exception ex) when (CallQueueExceptionHandler.IsStorageOutage(ex, cancellationToken))
        {
            // The call and its job may have landed: the call is taken back (only if stored exactly as written here), and
            // its job, finding no call, then does nothing.
            withdrawal.Withdraw([written]);
            throw;
        }
    }

    private static async Task<Results<Ok<CallRecord>, ProblemHttpResult>> GetAsync(string callId, ICallStore store, CancellationToken cancellationToken)
    {
        var call = await store.GetAsync(callId, cancellationToken);
        return call is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Call not found", detail: $"No call with call_id '{callId}'.")
            : TypedResults.Ok(call);
    }

    private static async Task<Ok<ActiveCallsResponse>> ActiveAsync(ICallStore store, IOptions<QueueOptions> queue, CancellationToken cancellationToken)
    {
        var ids = await store.GetActiveCallIdsAsync(ActiveCallsLimit, cancellationToken);
        var calls = await store.GetManyAsync(ids, cancellationToken);
        var active = calls.Where(call => call.Status.IsActive()).OrderBy(call => call.UpdatedAt).ToList();
        return TypedResults.Ok(new ActiveCallsResponse(active.Count, queue.Value.MaxConcurrentCalls, active));
    }

    private static QueuedCallResponse Describe(CallRecord call, bool duplicate, QueueEstimate? estimate = null) => new(
        Success: true,
        call.CallId,
        call.Status.ToWire(),
        duplicate,
        call.Priority.ToWire(),
        call.ScheduledAt,
        call.JobId,
        duplicate ? "Call already queued; nothing new was created"
            : call.Status == CallStatus.Blocked ? "Call not queued for dialing: its number is on the do-not-call list (see status_reason); it is stored as blocked and will never be dialed"
            : call.Hold is not null ? $"Call scheduled: {call.StatusReason}"
            : call.Status == CallStatus.Scheduled ? "Call scheduled"
            : "Call queued",
        call.StatusReason,
        call.NextAttemptAt,
        call.ExpiresAt,
        estimate?.Position,
        estimate?.EstimatedExecution);

    /// <summary>
    /// Calls stored ended (blocked) recorded their terminal event with their creation: its delivery job is created now
    /// (the sweep creates it if this process dies first).
    /// </summary>
    private static Task DispatchCreatedEventsAsync(List<CallRecord> ended, CallWebhookEvents events, IWebhookDispatcher webhooks) =>
        ended.Count == 0 || !events.IsOn
            ? Task.CompletedTask
            : webhooks.DispatchAsync(ended.Select(call => CallWebhookEvents.EventId(call.CallId, 1)).ToList(), CancellationToken.None);

    /// <summary>A call held or blocked when it was queued counts in /metrics like one held or blocked at dial time.</summary>
    private static void CountSafety(CallRecord call)
    {
        if (call.Status == CallStatus.Blocked)
        {
            CallQueueMetrics.SafetyDecided(SafetyRule.DoNotCall, CallStatus.Blocked);
        }
        else if (call.Hold is { } hold)
        {
            CallQueueMetrics.SafetyDecided(hold.Rule, stoppedAs: null);
        }
    }

    private static string NewCallId() => "call_" + Guid.NewGuid().ToString("N");

    private static string NewBatchId() => "batch_" + Guid.NewGuid().ToString("N");

    [LoggerMessage(3101, LogLevel.Warning, "{Id}: stored and accepted, but its dial job could not be created ({ExceptionType}); the sweep creates it when storage answers again")]
    private static partial void LogJobDeferred(ILogger logger, string id, string exceptionType);
}
