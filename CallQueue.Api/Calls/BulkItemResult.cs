using System.Text.Json.Serialization;

namespace CallQueue.Api.Calls;

/// <summary>
/// One item of a bulk request: <c>queued</c>, <c>blocked</c> (on the do-not-call list: stored, never dialed),
/// <c>duplicate</c> or <c>rejected</c> (with field errors). <see cref="StatusReason"/>: why a blocked call is blocked, or
/// when a call queued outside its calling hours dials. <see cref="Row"/>: a CSV item's row number (1 = the first data
/// row after the header). <see cref="PhoneNumber"/> (as given) and <see cref="Error"/> (one line naming the field, null
/// when accepted) are the seed's, always written.
/// </summary>
public sealed record BulkItemResult(
    int Index,
    string Status,
    string? CallId,
    IDictionary<string, string[]>? Errors,
    string? StatusReason = null,
    int? Row = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? PhoneNumber = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Error = null);
