namespace CallQueue.Api.Calls;

/// <summary>One item of a bulk request: <c>queued</c>, <c>duplicate</c> or <c>rejected</c> (with field errors).</summary>
public sealed record BulkItemResult(int Index, string Status, string? CallId, IDictionary<string, string[]>? Errors);
