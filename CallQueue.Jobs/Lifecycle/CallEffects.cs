using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Safety;
using CallQueue.Jobs.Throttling;
using Hangfire;
using Hangfire.States;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Carries out the effects of a written transition outside the dial job: frees the slot, moves the call's Hangfire job
/// with the transition's reason, counts the metric. <see cref="NotifyAgent"/> and <see cref="CancelAtPlivo"/> are not
/// here: only the dial job places calls (and hands them to the agent) and only the canceller talks to Plivo about a
/// cancel, and each carries its own out.
/// </summary>
public sealed class CallEffects(ICallCapacity capacity, NumberLine numbers, IBackgroundJobClient jobs)
{
    public async Task RunAsync(CallRecord call, IReadOnlyList<CallEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(effects);
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case ReleaseSlot:
                    // Not the caller's token: a freed line is given back even when the request that freed it goes away.
                    await capacity.ReleaseSlotAsync(call.CallId, CancellationToken.None);
                    await numbers.ReleaseAsync(call);
                    break;
                case MoveJob move when call.JobId is { } jobId:
                    jobs.ChangeState(jobId, ToState(call, move));
                    break;
                case CountEnded ended:
                    CallQueueMetrics.CallEnded(ended.Status, ended.Outcome);
                    break;
            }
        }
    }

    private static IState ToState(CallRecord call, MoveJob move) => move.Move switch
    {
        JobMove.Park => new ParkedState(move.Reason),
        JobMove.Enqueue => new EnqueuedState(call.Priority.ToWire()) { Reason = move.Reason },
        JobMove.Schedule => new ScheduledState(move.Delay ?? TimeSpan.Zero) { Reason = move.Reason },
        JobMove.Fail => new FailedState(new DialFailedException(move.Reason)) { Reason = move.Reason },
        JobMove.Succeed => new SucceededState(result: null, latency: 0, performanceDuration: 0) { Reason = move.Reason },
        _ => new DeletedState { Reason = move.Reason },
    };
}
