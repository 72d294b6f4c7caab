namespace CallQueue.Jobs.Campaigns;

/// <summary>Reads campaigns' and batches' progress and ETA (issue 12).</summary>
public sealed class CampaignProgressReader
{
    /// <summary>The campaign's or batch's progress; null when nobody queued a call under that id.</summary>
    public Task<CampaignProgress?> GetAsync(ControlTarget target, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>Campaigns newest first, <paramref name="count"/> per page, from <paramref name="cursor"/> (null: the first page).</summary>
    public Task<CampaignPage> ListAsync(string? cursor, int count, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
