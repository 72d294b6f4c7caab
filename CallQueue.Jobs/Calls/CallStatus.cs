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
}
