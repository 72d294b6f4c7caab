namespace CallQueue.Jobs.Calls;

public static class CallStatusExtensions
{
    /// <summary>Terminal statuses never change again except by an operator's requeue.</summary>
    public static bool IsTerminal(this CallStatus status) =>
        status is CallStatus.Completed or CallStatus.Failed or CallStatus.Cancelled or CallStatus.Unknown or CallStatus.Expired or CallStatus.Blocked;

    /// <summary>A call holding (or about to hold) a line at Plivo.</summary>
    public static bool IsActive(this CallStatus status) =>
        status is CallStatus.Dialing or CallStatus.Ringing or CallStatus.InProgress;

    /// <summary>
    /// The seed's coarse status (queued, processing, completed, failed, retry, cancelled). The seed had neither expired
    /// nor blocked: an expired call was not reached (failed), a blocked one was deliberately not made (cancelled).
    /// </summary>
    public static string ToSeedStatus(this CallStatus status) => status switch
    {
        CallStatus.Queued or CallStatus.Scheduled => "queued",
        CallStatus.Retry => "retry",
        CallStatus.Dialing or CallStatus.Ringing or CallStatus.InProgress => "processing",
        CallStatus.Completed => "completed",
        CallStatus.Cancelled or CallStatus.Blocked => "cancelled",
        _ => "failed",
    };
}
