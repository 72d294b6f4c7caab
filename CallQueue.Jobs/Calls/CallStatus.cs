namespace CallQueue.Jobs.Calls;

/// <summary>Where a call is in its lifecycle (DESIGN.md §3).</summary>
public enum CallStatus
{
    Queued,
    Scheduled,
    Retry,
    Dialing,
    Ringing,
    InProgress,
    Completed,
    Failed,
    Cancelled,
    Unknown,

    /// <summary>Not placed before its <c>expires_at</c>: never dialed after it (issue 11).</summary>
    Expired,

    /// <summary>Never dialed: its number is on the do-not-call list (issue 11).</summary>
    Blocked,
}
