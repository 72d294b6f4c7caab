namespace CallQueue.Api.Calls;

/// <summary>
/// One item of a bulk request: <c>queued</c>, <c>blocked</c> (on the do-not-call list: stored, never dialed),
/// <c>duplicate</c> or <c>rejected</c> (with field errors). <see cref="StatusReason"/>: why a blocked call is blocked, or
/// when a call queued outside its calling hours dials.
/// </summary>
public sealed record BulkItemResult(int Index, string Status, string? CallId, IDictionary<string, string[]>? Errors, string? StatusReason = null);
