using CallQueue.Jobs.Audit;

namespace CallQueue.Api.Audit;

/// <summary>
/// GET /api/audit: entries newest first, and <c>next_before</c> to pass as <c>before</c> for the next page (null on the
/// last). A page ends between two milliseconds, so entries of one millisecond are never split between pages.
/// </summary>
public sealed record AuditPageResponse(IReadOnlyList<AuditEntry> Entries, int Count, DateTimeOffset? NextBefore);
