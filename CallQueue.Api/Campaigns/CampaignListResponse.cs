namespace CallQueue.Api.Campaigns;

/// <summary>A page of campaigns, newest first (by their first call), and the cursor of the next page (null on the last).</summary>
public sealed record CampaignListResponse(IReadOnlyList<CampaignResponse> Campaigns, string? NextCursor);
