using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Throttling;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// Carries out the effects of a transition inside the running dial job. The job's own state is its outcome: a
/// <see cref="MoveJob"/> becomes the exception <see cref="DialRetryFilter"/> turns into Scheduled (retry) or leaves Failed
/// (a person decides), or Deleted (a callee-safety stop), thrown after the other effects are done.
/// </summary>
public sealed class DialEffects(ICallCapacity capacity, NumberLine numbers, NotifyAgentJobFactory agentJobs)
{
    /// <param name="call">The call whose transition was written.</param>
    /// <param name="effects">The written transition's effects.</param>
    /// <param name="cause">What made the attempt fail, kept as the job's exception's inner exception.</param>
    public async Task RunAsync(CallRecord call, IReadOnlyList<CallEffect> effects, Exception? cause = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(effects);
        MoveJob? move = null;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ReleaseSlot:
                    await ReleaseSlotAsync(call);
                    break;
                case CountEnded ended:
                    CallQueueMetrics.CallEnded(ended.Status, ended.Outcome);
                    break;
                case NotifyAgent notify:
                    agentJobs.Create(call.CallId, notify.Attempt);
                    break;
                case MoveJob job:
                    move = job;
                    break;
            }
        }

        switch (move)
        {
            case { Move: JobMove.Schedule, Delay: { } delay }:
                throw new DialRetryException(move.Reason, delay, cause);
            case { Move: JobMove.Fail }:
                throw new DialFailedException(move.Reason, cause);
            case { Move: JobMove.Delete }:
                throw new DialStoppedException(move.Reason);
            case { Move: JobMove.Park }:
                throw new DialParkedException(move.Reason);
        }
    }

    /// <summary>
    /// Gives the call's line and number back: nothing is held at Plivo any more, or (<paramref name="unusedAttempt"/>)
    /// the claim of that attempt sent nothing, so it neither starts the number's gap nor counts against its cap.
    /// </summary>
    public async Task ReleaseSlotAsync(CallRecord call, int? unusedAttempt = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
        await numbers.ReleaseAsync(call, unusedAttempt);
    }
}
