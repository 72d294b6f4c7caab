namespace CallQueue.Jobs.Lifecycle;

/// <summary>How a create-call request failed without placing a call.</summary>
public enum DialFailure
{
    /// <summary>Plivo refused the request for good (400, 401, 403, 404): a person must fix the request or the account.</summary>
    Rejected,

    /// <summary>Plivo answered 429 or 5xx: worth another attempt later.</summary>
    Transient,

    /// <summary>The connection failed before the request was sent: worth another attempt later.</summary>
    NotSent,
}
