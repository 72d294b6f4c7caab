using CallQueue.Jobs.Operators;

namespace CallQueue.Api.Calls;

/// <summary>
/// What a bulk requeue did: calls matched by the filter, requeued, and skipped (with reasons; the list holds at most
/// the first 1,000, <see cref="SkippedCount"/> all). <see cref="Truncated"/>: the request stopped at its limit or scan
/// budget; posting it again goes on (calls requeued meanwhile are skipped as queued).
/// </summary>
public sealed record BulkRequeueResponse(
    int Matched,
    int Requeued,
    IReadOnlyList<SkippedCall> Skipped,
    int SkippedCount,
    bool Truncated,
    string Message);
