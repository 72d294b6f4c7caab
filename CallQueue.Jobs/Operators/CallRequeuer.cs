using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Storage;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// Operator requeues asked for over the API, with the dashboard's rules (<see cref="CallRequeue"/>): a failed, unknown or
/// cancelled call is dialed again with a fresh attempt budget, its history kept. One call (<see cref="RequeueAsync"/>),
/// or a campaign's failed and unknown calls matching a filter (<see cref="RequeueCampaignAsync"/>), walking the
/// campaign's index (no key scans).
/// The call's own Hangfire job is moved to Enqueued, so its history on the dashboard stays the call's history;
/// <see cref="OperatorRequeueFilter"/> gives the fresh budget exactly as for the dashboard's button. A call whose job is
/// gone (Deleted jobs expire after a day) gets a new one.
/// </summary>
public sealed class CallRequeuer(
    ICallStore store, CallTransitions transitions, IBackgroundJobClient jobs, DialJobFactory dialJobs, ILogger<CallRequeuer> logger)
{
    /// <summary>Most campaign calls one bulk requeue reads.</summary>
    public const int ScanBudget = 100_000;

    private const int Chunk = 500;
    private const int MaxSkippedListed = 1_000;

    /// <summary>Requeues the call <paramref name="callId"/>, or says why not.</summary>
    public async Task<RequeueResult> RequeueAsync(string callId, CancellationToken cancellationToken)
    {
        var call = await store.GetAsync(callId, cancellationToken);
        if (call is null)
        {
            return new RequeueResult(RequeueKind.NotFound, null, null);
        }

        var (requeued, refusal) = await RequeueOneAsync(call, cancellationToken);
        if (refusal is not null)
        {
            return new RequeueResult(RequeueKind.Refused, requeued, refusal);
        }

        Log.RequeuedViaApi(logger, callId, requeued.JobId);
        return new RequeueResult(RequeueKind.Requeued, requeued, null);
    }

    /// <summary>
    /// Requeues the campaign's failed and unknown calls that match <paramref name="filter"/>, newest first; completed and
    /// cancelled calls (and calls not ended) are skipped with a reason. Stops after <see cref="BulkRequeueFilter.Limit"/>
    /// requeued or <see cref="ScanBudget"/> read.
    /// </summary>
    public async Task<BulkRequeueResult> RequeueCampaignAsync(BulkRequeueFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.Limit, 1);
        var limit = filter.Limit;
        var outcome = filter.Outcome;
        var fromMs = filter.From?.ToUnixTimeMilliseconds();
        CampaignCursor? position = filter.To is { } to ? new CampaignCursor(to.ToUnixTimeMilliseconds(), 0) : null;
        var skipped = new List<SkippedCall>();
        int matched = 0, requeuedCount = 0, skippedCount = 0, scanned = 0;
        var truncated = false;
        var ended = false;
        while (!ended && !truncated)
        {
            var entries = await store.GetCampaignCallIdsAsync(filter.CampaignId, position, Chunk, cancellationToken);
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
                    : CallLifecycle.RequeueRefusal(call);
                if (refusal is null)
                {
                    (_, refusal) = await RequeueOneAsync(call, cancellationToken);
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
        Log.BulkRequeued(logger, filter.CampaignId, message);
        return new BulkRequeueResult(matched, requeuedCount, skipped, skippedCount, truncated, message);
    }

    /// <summary>Requeues <paramref name="call"/>: its job to Enqueued (the filter does the rest), or a new job if it has none.</summary>
    private async Task<(CallRecord Call, string? Refusal)> RequeueOneAsync(CallRecord call, CancellationToken cancellationToken)
    {
        if (CallLifecycle.RequeueRefusal(call) is { } refusal)
        {
            return (call, refusal);
        }

        if (call.JobId is { } jobId && jobs.ChangeState(jobId, new EnqueuedState { Reason = CallRequeue.ApiStateReason }))
        {
            var after = await store.GetAsync(call.CallId, cancellationToken) ?? call;

            // Still ended: the filter refused it (the call moved on meanwhile) or the job was not the call's.
            return after.Status.IsTerminal()
                ? (after, CallLifecycle.RequeueRefusal(after) ?? $"Call is {after.Status.ToWire()}: its job {jobId} was requeued but the call was not")
                : (after, null);
        }

        // No dial job, or it expired: the call is queued again under a new one.
        var applied = await transitions.ApplyAsync(call.CallId, new RequeueCall("API", DetachJob: true), cancellationToken);
        if (applied.Call is not { } updated)
        {
            return (call, "Call no longer exists");
        }

        if (!applied.Written)
        {
            return (updated, applied.Transition!.Refusal);
        }

        var newJobId = await dialJobs.CreateAsync(updated, cancellationToken);
        return (updated with { JobId = newJobId }, null);
    }
}
