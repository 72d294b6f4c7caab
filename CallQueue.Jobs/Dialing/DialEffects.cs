using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Throttling;

namespace CallQueue.Jobs.Dialing;

/// <summary>
/// Carries out the effects of a transition inside the running dial job. The job's own state is its outcome: a
/// <see cref="MoveJob"/> becomes the exception <see cref="DialRetryFilter"/> turns into Scheduled (retry) or leaves Failed
/// (a person decides), thrown after the other effects are done.
/// </summary>
public sealed class DialEffects(ICallCapacity capacity, NotifyAgentJobFactory agentJobs)
{
    /// <param name="callId">The call whose transition was written.</param>
    /// <param name="effects">The written transition's effects.</param>
    /// <param name="cause">What made the attempt fail, kept as the job's exception's inner exception.</param>
    public async Task RunAsync(string callId, IReadOnlyList<CallEffect> effects, Exception? cause = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        MoveJob? move = null;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ReleaseSlot:
                    await ReleaseSlotAsync(callId);
                    break;
                case CountEnded ended:
                    CallQueueMetrics.CallEnded(ended.Status, ended.Outcome);
                    break;
                case NotifyAgent notify:
                    agentJobs.Create(callId, notify.Attempt);
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
        }
    }

    /// <summary>Gives the call's line back (nothing was placed, or nothing is held at Plivo any more).</summary>
    public Task ReleaseSlotAsync(string callId) => capacity.ReleaseSlotAsync(callId, CancellationToken.None);
}
