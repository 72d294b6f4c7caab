using CallQueue.Jobs.Audit;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// What a campaign's dashboard page shows: its progress, one page of its calls newest first (only those in
/// <paramref name="Status"/> when set; <paramref name="Cursor"/> where the page starts, <paramref name="Next"/> the next
/// page's), and its own audit entries.
/// </summary>
internal sealed record CampaignDashboardView(
    CampaignProgress Progress,
    IReadOnlyList<CallRecord> Calls,
    CallStatus? Status,
    string? Cursor,
    string? Next,
    IReadOnlyList<AuditEntry> Audit);
