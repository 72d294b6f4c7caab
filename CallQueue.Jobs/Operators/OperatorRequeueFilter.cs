using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace CallQueue.Jobs.Operators;

/// <summary>
/// Makes the dashboard's Requeue mean "dial this call again" (DESIGN.md §2). Acts on a transition to Enqueued of a
/// <see cref="DialCallJob"/> that an operator asked for: from Failed, Deleted or Succeeded (nothing in Hangfire or in
/// CallQueue enqueues from those states by itself), or with the dashboard's or the API's own reason from any other state.
/// <list type="bullet">
/// <item>A failed, unknown or cancelled call is queued again with a fresh attempt budget (<see cref="RequeueCall"/>),
/// and Hangfire's <c>RetryCount</c> is reset, which a manual requeue otherwise keeps (hangfire-notes §2).</item>
/// <item>A completed call is not dialed again: the job goes back to Succeeded with the reason "Call already completed:
/// not dialed again", so the operator sees in its history why nothing happened. Other refusals (an attempt still open
/// at Plivo) send the job back to Failed, or to Deleted when it came from elsewhere, with the reason.</item>
/// <item>A call that has not ended (queued, retry, in progress) or belongs to another job is left alone: the job runs,
/// and the dial job's own checks keep it from ringing anyone twice.</item>
/// </list>
/// Runs before <see cref="DialRetryFilter"/> and AutomaticRetry, which then see its Failed refusal (a
/// <see cref="DialFailedException"/>) and leave it Failed. Hangfire filters are not built by DI, so the services are
/// taken from the host's provider on first use; every process registers it (CallQueueJobFilterProvider).
/// </summary>
public sealed class OperatorRequeueFilter(IServiceProvider services) : IJobFilter, IElectStateFilter
{
    private static readonly string[] ParkedStates = [FailedState.StateName, DeletedState.StateName, SucceededState.StateName];

    public bool AllowMultiple => false;

    public int Order => 5;

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not EnqueuedState enqueued
            || context.BackgroundJob.Job is not { } job
            || job.Type != typeof(DialCallJob)
            || job.Args.Count == 0
            || job.Args[0] is not string callId
            || !IsOperatorRequeue(context.CurrentState, enqueued.Reason))
        {
            return;
        }

        var via = enqueued.Reason == CallRequeue.ApiStateReason ? "API" : "dashboard";
        var jobId = context.BackgroundJob.Id;
        var transitions = services.GetRequiredService<CallTransitions>();

        // Hangfire's state changer is synchronous; this is one optimistic update of one Redis hash.
        var applied = transitions.ApplyAsync(callId, new RequeueCall(via, ByJob: jobId), CancellationToken.None).GetAwaiter().GetResult();
        if (applied.Call is not { } call)
        {
            return;
        }

        var logger = services.GetRequiredService<ILogger<OperatorRequeueFilter>>();
        if (applied.Transition is { RefusedAs: RefusalKind.NotAllowed, Refusal: { } refusal })
        {
            context.CandidateState = RefusedState(context.CurrentState, call, refusal);
            Log.RequeueRefused(logger, callId, jobId, via, refusal);
        }
        else if (applied.Written)
        {
            // A fresh budget for Hangfire's own retries too: a manual requeue keeps RetryCount (hangfire-notes §2).
            context.SetJobParameter("RetryCount", 0);
            enqueued.Reason = CallRequeue.JobReason(call, via);
            Log.Requeued(logger, callId, jobId, via, call.Attempts.Count + 1, call.AttemptBudget);
            if (via == "dashboard")
            {
                Audit(callId, jobId, call, logger);
            }
        }
    }

    /// <summary>
    /// The audit entry of a Requeue pressed on the dashboard, under the signed-in user's name (the state change runs in
    /// that request). The API records its own requeues, one entry per request. A failed write is logged, not thrown: the
    /// call is requeued already, and failing here would leave its job behind.
    /// </summary>
    private void Audit(string callId, string jobId, CallRecord call, ILogger logger)
    {
        if (services.GetService<IAuditLog>() is not { } audit)
        {
            return;
        }

        var actor = services.GetService<ICurrentActor>()?.Name ?? "dashboard";
        var entry = new AuditEntry(
            services.GetRequiredService<TimeProvider>().GetUtcNow(), actor, "requeue", "call:" + callId, 1, $"via the dashboard (campaign {call.CampaignId}, job {jobId})");
        try
        {
            audit.RecordAsync(entry, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.AuditNotRecorded(logger, callId, jobId, ex.Message);
        }
    }

    private static bool IsOperatorRequeue(string? currentState, string? reason) =>
        (currentState is not null && ParkedStates.Contains(currentState, StringComparer.OrdinalIgnoreCase))
        || reason is CallRequeue.DashboardStateReason or CallRequeue.ApiStateReason;

    private static IState RefusedState(string? currentState, CallRecord call, string refusal)
    {
        if (call.Status == CallStatus.Completed)
        {
            return new SucceededState(result: null, latency: 0, performanceDuration: 0) { Reason = refusal };
        }

        return string.Equals(currentState, FailedState.StateName, StringComparison.OrdinalIgnoreCase)
            ? new FailedState(new DialFailedException(refusal)) { Reason = refusal }
            : new DeletedState { Reason = refusal };
    }
}
