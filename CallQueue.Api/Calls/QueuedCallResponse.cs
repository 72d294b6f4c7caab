using System.Text.Json.Serialization;

namespace CallQueue.Api.Calls;

/// <summary>
/// The answer to queuing one call (202 when created, 200 with <c>duplicate: true</c> when it existed). Status
/// <c>queued</c>, <c>scheduled</c> (for its scheduled_at, or held outside its calling hours until
/// <see cref="NextAttemptAt"/>) or <c>blocked</c> (on the do-not-call list: stored, never dialed), with
/// <see cref="StatusReason"/> saying why. <see cref="QueuePosition"/> and <see cref="EstimatedExecution"/> are the seed's
/// (<see cref="QueuePositionEstimator"/>): always written, null for a blocked call and for a duplicate (an existing call
/// whose place is not known).
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
    DateTimeOffset? ExpiresAt = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? QueuePosition = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? EstimatedExecution = null);
