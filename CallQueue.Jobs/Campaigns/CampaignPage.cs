namespace CallQueue.Jobs.Campaigns;

/// <summary>A page of campaigns, newest first, and the cursor of the next page (null on the last).</summary>
public sealed record CampaignPage(IReadOnlyList<CampaignProgress> Items, string? Next);
