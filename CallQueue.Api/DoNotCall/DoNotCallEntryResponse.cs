using CallQueue.Jobs.Safety;

namespace CallQueue.Api.DoNotCall;

/// <summary>One entry as the API shows it: <c>scope</c> (global or campaign), <c>campaign_id</c>, <c>reason</c>, <c>source</c> (api or agent), <c>added_at</c>.</summary>
public sealed record DoNotCallEntryResponse(string Scope, string? CampaignId, string? Reason, DoNotCallSource Source, DateTimeOffset AddedAt)
{
    public static DoNotCallEntryResponse From(DoNotCallEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Scope, entry.CampaignId, entry.Reason, entry.Source, entry.AddedAt);
    }
}
