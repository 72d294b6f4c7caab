namespace CallQueue.Jobs.Calls;

/// <summary>How one dial attempt ended (DESIGN.md §3).</summary>
public enum CallOutcome
{
    Answered,
    Busy,
    NoAnswer,
    Rejected,
    InvalidNumber,
    Machine,
    ProviderError,
    NetworkError,
    Cancelled,
    Unknown,
}
