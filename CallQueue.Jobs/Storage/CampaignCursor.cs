namespace CallQueue.Jobs.Storage;

/// <summary>
/// Where a newest-first walk through a campaign's calls stands: every call stored after <see cref="CreatedAtMs"/> has
/// been seen, and the first <see cref="Skip"/> of those stored in that very millisecond (a bulk batch shares one).
/// Calls queued while a client pages are newer, so they never shift the pages still to come.
/// </summary>
public readonly record struct CampaignCursor(long CreatedAtMs, int Skip)
{
    /// <summary>The cursor just past <paramref name="entry"/>, the next entry after <paramref name="current"/>.</summary>
    public static CampaignCursor After(CampaignCursor? current, CampaignCallEntry entry) =>
        current is { } at && at.CreatedAtMs == entry.CreatedAtMs
            ? at with { Skip = at.Skip + 1 }
            : new CampaignCursor(entry.CreatedAtMs, 1);
}
