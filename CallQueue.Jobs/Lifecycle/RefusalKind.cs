namespace CallQueue.Jobs.Lifecycle;

/// <summary>Why a transition was refused, for the adapter to answer in its own terms (a 409, a log line, nothing).</summary>
public enum RefusalKind
{
    /// <summary>The call moved on meanwhile (another run, a faster callback): nothing to do, nothing to say.</summary>
    Stale,

    /// <summary>Not allowed from the call's status; <see cref="Transition.Refusal"/> says why in an operator's words.</summary>
    NotAllowed,

    /// <summary>A request to Plivo is in flight right now: try again in a moment.</summary>
    InFlight,

    /// <summary>A callback names another Plivo call than the attempt's (misrouted, replayed, a URL reused by hand).</summary>
    ForeignCallback,

    /// <summary>An operator's requeue of a job whose call is not its own, or has not ended: the job runs as it is.</summary>
    LeftAlone,
}
