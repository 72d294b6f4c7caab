namespace CallQueue.Jobs.Operators;

/// <summary>What an operator's requeue of one call did (<see cref="CallRequeuer.RequeueAsync"/>).</summary>
public enum RequeueKind
{
    /// <summary>No call with that id.</summary>
    NotFound,

    /// <summary>Queued again with a fresh attempt budget.</summary>
    Requeued,

    /// <summary>Left alone; <see cref="RequeueResult.Refusal"/> says why (completed, not ended, …).</summary>
    Refused,
}
