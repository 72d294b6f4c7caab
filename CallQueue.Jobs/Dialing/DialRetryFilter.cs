using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Queues;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// Owns the retries of dial attempts: a <see cref="DialRetryException"/> (or a <see cref="DialWaitException"/>, which
/// uses no attempt) becomes a Scheduled state with its delay and a
/// readable reason ("Plivo answered 503 → retry in 30 s (attempt 2 of 4)") instead of Failed, and a
/// <see cref="DialFailedException"/> stays Failed with its message as reason, and a <see cref="DialStoppedException"/>
/// (a callee-safety stop: expired, blocked) becomes Deleted with its reason, and a <see cref="DialParkedException"/> (its
/// campaign or batch paused) becomes <see cref="ParkedState"/>. Runs before Hangfire's AutomaticRetry
/// (Order 20), which then sees no Failed state for a retry; <see cref="DialCallJob"/> excludes
/// <see cref="DialFailedException"/> from AutomaticRetry. Every process must register it (hangfire-notes §2).
/// </summary>
public sealed class DialRetryFilter : JobFilterAttribute, IElectStateFilter
{
    public DialRetryFilter()
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
            case DialRetryException retry:
                context.CandidateState = new ScheduledState(retry.Delay) { Reason = JobStateReasons.Truncate(retry.Message) };
                break;
            case DialWaitException wait:
                context.CandidateState = new ScheduledState(wait.Delay) { Reason = JobStateReasons.Truncate(wait.Message) };
                break;
            case DialParkedException parked:
                context.CandidateState = new ParkedState(JobStateReasons.Truncate(parked.Message));
                break;
            case DialStoppedException stopped:
                context.CandidateState = new DeletedState { Reason = JobStateReasons.Truncate(stopped.Message) };
                break;
            case DialFailedException permanent:
                failed.Reason = JobStateReasons.Truncate(permanent.Message);
                break;
        }
    }
}
