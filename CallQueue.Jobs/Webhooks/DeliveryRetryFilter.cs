using CallQueue.Jobs.Queues;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Owns the retries of webhook deliveries, on <see cref="DeliverWebhookJob.RunAsync"/> only (an attribute of that
/// method, so no other job sees it and every process that runs the job has it): a <see cref="DeliveryRetryException"/>
/// becomes a Scheduled state after its delay with a readable reason ("Webhook call.completed to https://… answered 500
/// Internal Server Error → try 2 in 5 s"), a <see cref="DeliveryStoppedException"/> becomes Deleted with its reason, and
/// a <see cref="DeliveryFailedException"/> stays Failed with its message as reason. Runs before Hangfire's
/// AutomaticRetry (Order 20), which then sees no Failed state for a retry; the job excludes
/// <see cref="DeliveryFailedException"/> from AutomaticRetry, so a given-up event is not sent again by Hangfire.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DeliveryRetryFilter : JobFilterAttribute, IElectStateFilter
{
        public DeliveryRetryFilter()
    {
        Order = 10;
    }

    public void OnStateElection(ElectStateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.CandidateState is not FailedState failed)
        {
            return;
        }

        switch (JobStateReasons.Unwrap(failed.Exception))
        {
            case DeliveryRetryException retry:
                context.CandidateState = new ScheduledState(retry.Delay) { Reason = JobStateReasons.Truncate(retry.Message) };
                break;
            case DeliveryStoppedException stopped:
                context.CandidateState = new DeletedState { Reason = JobStateReasons.Truncate(stopped.Message) };
                break;
            case DeliveryFailedException given:
                failed.Reason = JobStateReasons.Truncate(given.Message);
                break;
        }
    }
}
