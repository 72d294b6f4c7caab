namespace CallQueue.Jobs.Storage;

/// <summary>One call of a campaign's index: its id and when it was stored (Unix ms, the sorted set's score).</summary>
public readonly record struct CampaignCallEntry(string CallId, long CreatedAtMs);
