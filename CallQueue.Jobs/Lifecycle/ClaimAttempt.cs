namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// A dial job claims attempt <paramref name="Number"/> before sending anything: the call becomes dialing, and only the run
/// holding <paramref name="ClaimToken"/> may send the attempt's request (the fencing token).
/// </summary>
public sealed record ClaimAttempt(int Number, string? JobId, string ClaimToken) : CallEvent;
