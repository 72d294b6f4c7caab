namespace CallQueue.Api.Calls;

/// <summary>
/// The answer to a bulk request: counts (<see cref="Blocked"/>: created but on the do-not-call list, never dialed; not in
/// <see cref="Queued"/>) and one result per item, in request order.
/// </summary>
public sealed record BulkQueueResponse(
    bool Success,
    string BatchId,
    int Total,
    int Queued,
    int Duplicates,
    int Rejected,
    int Blocked,
    string Message,
    IReadOnlyList<BulkItemResult> Results);
