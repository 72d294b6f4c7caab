namespace CallQueue.Api.Calls;

/// <summary>
/// The answer to queuing one call (202 when created, 200 with <c>duplicate: true</c> when it existed). Status
/// <c>queued</c>, <c>scheduled</c> (for its scheduled_at, or held outside its calling hours until
/// <see cref="NextAttemptAt"/>) or <c>blocked</c> (on the do-not-call list: stored, never dialed), with
/// <see cref="StatusReason"/> saying why.
/// </summary>
public sealed record QueuedCallResponse(
    bool Success,
    string CallId,
    string Status,
    bool Duplicate,
    string Priority,
    DateTimeOffset? ScheduledAt,
    string? JobId,
    string Message,
    string? StatusReason = null,
    DateTimeOffset? NextAttemptAt = null,
    DateTimeOffset? ExpiresAt = null);
