namespace CallQueue.Api.Calls;

/// <summary>
/// The answer to a bulk request: counts (<see cref="Blocked"/>: created but on the do-not-call list, never dialed; not in
/// <see cref="Queued"/>) and one result per item, in request order. The seed's counts beside ours:
/// <see cref="TotalCalls"/> = items in the request (<see cref="Total"/>), <see cref="Successful"/> = items accepted (a call
/// exists for each: queued, duplicate or blocked), <see cref="Failed"/> = items rejected (<see cref="Rejected"/>).
/// </summary>
public sealed record BulkQueueResponse(
    bool Success,
    string BatchId,
    int Total,
    int Queued,
    int Duplicates,
    int Rejected,
    int Blocked,
    int TotalCalls,
    int Successful,
    int Failed,
    string Message,
    IReadOnlyList<BulkItemResult> Results);
