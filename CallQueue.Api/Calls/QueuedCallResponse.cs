namespace CallQueue.Api.Calls;

/// <summary>The answer to queuing one call (202 when created, 200 with <c>duplicate: true</c> when it existed).</summary>
public sealed record QueuedCallResponse(
    bool Success,
    string CallId,
    string Status,
    bool Duplicate,
    string Priority,
    DateTimeOffset? ScheduledAt,
    string? JobId,
    string Message);
