using System.Text.Json.Serialization;

namespace CallQueue.Jobs.Calls;

/// <summary>
/// Everything known about one call. Stored as one record (Redis hash or memory); its Hangfire job is
/// <see cref="JobId"/>, whose history is the call's history.
/// </summary>
public sealed record CallRecord
{
    public required string CallId { get; init; }

    public required string PhoneNumber { get; init; }

    public required string CampaignId { get; init; }

    public required CallConfig Config { get; init; }

    public CallPriority Priority { get; init; } = CallPriority.Normal;

    /// <summary>Attempts allowed after the first.</summary>
    public int MaxRetries { get; init; }

    public CallStatus Status { get; init; } = CallStatus.Queued;

    public string? BatchId { get; init; }

    public string? IdempotencyKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>
    /// The call's deadline: not placed by then, it becomes <see cref="CallStatus.Expired"/>, and no retry is scheduled
    /// past it. Null: none.
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>
    /// What the call waits for without using an attempt (calling hours, its number busy, the gap or the cap); null when
    /// it does not wait on a callee-safety rule.
    /// </summary>
    public CallHold? Hold { get; init; }

    /// <summary>The callee-safety decisions taken on the call, oldest first (at most the last 20); null until the first.</summary>
    public IReadOnlyList<SafetyDecision>? Decisions { get; init; }

    /// <summary>When the next attempt is due (status <see cref="CallStatus.Retry"/>, or a call held until then).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The Hangfire dial job; null until it has been created.</summary>
    public string? JobId { get; init; }

    /// <summary>Why the call is where it is, in words a person understands.</summary>
    public string? StatusReason { get; init; }

    public IReadOnlyList<CallAttempt> Attempts { get; init; } = [];

    /// <summary>Handing the call to the agent server (/start-call); null until it was tried, or without an agent server.</summary>
    public AgentHandoff? Agent { get; init; }

    /// <summary>The agent's end-of-call result; null until it posted one.</summary>
    public AgentResult? Result { get; init; }

    [JsonIgnore]
    public CallAttempt? LastAttempt => Attempts.Count == 0 ? null : Attempts[^1];

    /// <summary>Attempts made before an operator's last requeue: a requeued call gets a fresh budget, its history kept.</summary>
    public int AttemptOffset { get; init; }

    /// <summary>What operators did to the call (requeues), oldest first; null until the first.</summary>
    public IReadOnlyList<OperatorNote>? Notes { get; init; }

    /// <summary>
    /// W3C trace context (<c>traceparent</c>) of the request that queued the call (ASP.NET Core gives every request
    /// one): with tracing on, Plivo's callbacks for this call are traced into that trace. Null when there was none.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>
    /// Events recorded for the backend so far (issue 13): the last event's <c>sequence</c>; 0 before the first (then left
    /// out of the JSON: most calls of a deployment without webhooks never have one).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long EventSequence { get; init; }

    /// <summary>The attempt number up to which this call may dial: earlier attempts, the first new one, plus its retries.</summary>
    [JsonIgnore]
    public int AttemptBudget => AttemptOffset + 1 + MaxRetries;
}
