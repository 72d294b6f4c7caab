namespace CallQueue.Jobs.Operators;

/// <summary>
/// What a bulk requeue did: calls matched by the filter, requeued, and skipped (with reasons; the list holds at most
/// the first 1,000, <see cref="SkippedCount"/> all). <see cref="Truncated"/>: it stopped at its limit or scan budget;
/// the same request again goes on (calls requeued meanwhile are skipped as queued). <see cref="Message"/> sums it up.
/// </summary>
public sealed record BulkRequeueResult(
    int Matched,
    int Requeued,
    IReadOnlyList<SkippedCall> Skipped,
    int SkippedCount,
    bool Truncated,
    string Message);
