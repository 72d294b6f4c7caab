using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Safety;

/// <summary>
/// One listing of a number: for every campaign (<see cref="CampaignId"/> null, scope <c>global</c>) or for one campaign.
/// A number has at most one entry per scope. Campaign ids and reasons hold no control characters (the stored encoding
/// uses two of them as separators). <see cref="AddedAt"/> is kept to the minute.
/// </summary>
public sealed record DoNotCallEntry(string? CampaignId, string? Reason, DoNotCallSource Source, DateTimeOffset AddedAt)
{
    /// <summary>Longest reason stored.</summary>
    public const int ReasonMaxLength = 256;

    /// <summary><c>global</c> or <c>campaign</c>.</summary>
    public string Scope => CampaignId is null ? "global" : "campaign";

    /// <summary>True when this entry keeps <paramref name="campaignId"/>'s calls (null: a call of no campaign) from being dialed.</summary>
    public bool Blocks(string? campaignId) => CampaignId is null || string.Equals(CampaignId, campaignId, StringComparison.Ordinal);

    /// <summary>True when both entries list the same scope.</summary>
    public bool SameScope(DoNotCallEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(CampaignId, other.CampaignId, StringComparison.Ordinal);
    }

    /// <summary>
    /// The status_reason of a call this entry blocks: "Blocked: on the do-not-call list for every campaign (reason:
    /// asked on the phone; added by api at 2026-12-07 09:30 UTC)", or "… for campaign 'spring' (added by agent at …)".
    /// </summary>
    public string BlockedReason()
    {
        var scope = CampaignId is null ? "for every campaign" : $"for campaign '{CampaignId}'";
        var reason = Reason is null ? string.Empty : $"reason: {Reason}; ";
        var added = AddedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"Blocked: on the do-not-call list {scope} ({reason}added by {Source.ToWire()} at {added} UTC)";
    }
}
