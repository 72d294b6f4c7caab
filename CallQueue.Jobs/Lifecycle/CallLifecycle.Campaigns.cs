using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>Campaign and batch control (issue 12): a pause parks waiting calls, a resume puts them back, a cancel ends the undialed.</summary>
public sealed partial class CallLifecycle
{
    private static Transition Park(CallRecord call, ParkCall park) =>
        IsWaiting(call) && call.LastAttempt is not { Outcome: null }
            ? Transition.To(call with { StatusReason = park.Reason, NextAttemptAt = null, Hold = null }, new MoveJob(JobMove.Park, park.Reason))
            : Transition.Refused(RefusalKind.Stale);

    private static Transition Unpark(CallRecord call, UnparkCall unpark) =>
        IsWaiting(call) && call.LastAttempt is not { Outcome: null }
            ? Transition.To(call with { StatusReason = unpark.Reason, NextAttemptAt = null, Hold = null }, new MoveJob(JobMove.Enqueue, unpark.Reason))
            : Transition.Refused(RefusalKind.Stale);

    private static Transition CancelNotDialed(CallRecord call, CancelWaiting cancel) =>
        IsWaiting(call) && call.LastAttempt is not { Outcome: null }
            ? Transition.To(Cancelled(call, cancel.Reason), new MoveJob(JobMove.Delete, cancel.Reason))
            : Transition.Refused(RefusalKind.LeftAlone);
}
