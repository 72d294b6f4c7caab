namespace CallQueue.Api.Calls;

/// <summary>The answer to a bulk request: counts and one result per item, in request order.</summary>
public sealed record BulkQueueResponse(
    bool Success,
    string BatchId,
    int Total,
    int Queued,
    int Duplicates,
    int Rejected,
    string Message,
    IReadOnlyList<BulkItemResult> Results);
