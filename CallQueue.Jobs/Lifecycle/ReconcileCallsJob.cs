using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Plivo;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Storage;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Recurring: settles calls that stayed dialing/ringing/in progress past their ring timeout without a hangup callback,
/// from Plivo's own records (live call → still going; call detail record → its outcome; nothing at all past the time
/// limit → unknown). So no call stays "in progress" forever.
/// </summary>
public sealed class ReconcileCallsJob(
    ICallStore store,
    IPlivoClient plivo,
    AttemptSettler settler,
    CallTransitions transitions,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<ReconcileCallsJob> logger)
{
    public const string RecurringJobId = "reconcile-calls";

    // Plivo's own defaults when a call does not set them (reference §2).
    private const int PlivoDefaultRingTimeoutSeconds = 120;
    private const int PlivoDefaultTimeLimitSeconds = 14_400;
    private const int ActiveCallsPerRun = 5_000;

    [Queue(HangfireQueues.InternalQueue)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var ids = await store.GetActiveCallIdsAsync(ActiveCallsPerRun, cancellationToken);
        var settled = 0;
        foreach (var chunk in ids.Chunk(200))
        {
            foreach (var call in await store.GetManyAsync(chunk, cancellationToken))
            {
                try
                {
                    settled += await ReconcileAsync(call, cancellationToken) ? 1 : 0;
                }
                catch (Exception ex) when (ex is PlivoApiException or PlivoConnectionException)
                {
                    Log.ReconcileFailed(logger, call.CallId, ex.Message);
                }
            }
        }

        if (settled > 0)
        {
            Log.Reconciled(logger, settled, ids.Count);
        }
    }

    private async Task<bool> ReconcileAsync(CallRecord call, CancellationToken cancellationToken)
    {
        var attempt = call.LastAttempt;
        if (!call.Status.IsActive() || attempt is null || attempt.Outcome is not null || attempt.RequestUuid is null)
        {
            // No request_uuid: the dial job still owns the attempt (its re-run settles it from Plivo).
            return false;
        }

        var now = time.GetUtcNow();
        var placedAt = attempt.AcceptedAt ?? attempt.StartedAt;
        var grace = TimeSpan.FromSeconds(options.Value.ReconcileGraceSeconds);
        var ringTimeout = TimeSpan.FromSeconds(call.Config.RingTimeout ?? PlivoDefaultRingTimeoutSeconds);
        if (now < placedAt + ringTimeout + grace)
        {
            return false;
        }

        var uuid = attempt.CallUuid ?? attempt.RequestUuid;
        var live = await plivo.GetLiveCallAsync(uuid, cancellationToken);
        if (live is not null)
        {
            if (call.Status != CallStatus.InProgress && string.Equals(live.CallStatus, "in-progress", StringComparison.OrdinalIgnoreCase))
            {
                await transitions.ApplyAsync(call.CallId, new SeenLive(), cancellationToken);
            }

            return false;
        }

        if (await plivo.GetQueuedCallAsync(uuid, cancellationToken) is not null)
        {
            return false;
        }

        var record = await plivo.GetCallDetailRecordAsync(uuid, cancellationToken);
        if (record is not null)
        {
            await settler.SettleAsync(call.CallId, attempt.Number, CallDetailRecordResult.From(record), cancellationToken);
            return true;
        }

        var timeLimit = TimeSpan.FromSeconds(call.Config.MaxDuration ?? PlivoDefaultTimeLimitSeconds);
        if (now < placedAt + ringTimeout + timeLimit + grace)
        {
            return false;
        }

        await settler.SettleAsync(
            call.CallId,
            attempt.Number,
            new AttemptResult { CallUuid = attempt.CallUuid, HangupCauseName = "no callback and no call record at Plivo", Source = "reconciler" },
            cancellationToken);
        return true;
    }
}
