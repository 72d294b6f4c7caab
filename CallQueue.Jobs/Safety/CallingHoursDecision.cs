namespace CallQueue.Jobs.Safety;

/// <summary>
/// Whether a call may be dialed now; if not, when it may (<see cref="OpensAt"/>, null: not within the horizon, so
/// never dial it on this basis: fail closed) and why, in words for the call's status_reason.
/// </summary>
public sealed record CallingHoursDecision(bool IsOpen, DateTimeOffset? OpensAt, string? Reason)
{
    public static CallingHoursDecision Open { get; } = new(true, null, null);
}
