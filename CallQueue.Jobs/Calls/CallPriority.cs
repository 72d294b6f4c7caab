namespace CallQueue.Jobs.Calls;

/// <summary>A call's priority; each is a Hangfire queue of the same name, fetched strictly in this order.</summary>
public enum CallPriority
{
    Urgent,
    High,
    Normal,
    Low,
}
