using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Api.Campaigns;

/// <summary>
/// One page of a campaign's calls, newest first, from its index (no key scans): GET /api/campaigns/{id}/calls and the
/// dashboard's campaign page. With a status filter the walk reads on in chunks of <paramref name="Chunk"/> until the page is
/// full, the campaign ends or <paramref name="Budget"/> calls were read; then the page may be short and still have a next
/// cursor.
/// </summary>
internal sealed record CampaignCallsWalk(int PageSize, int Chunk, int Budget)
{
    public async Task<(List<CallRecord> Calls, string? Next)> PageAsync(
        ICallStore store, string campaignId, CallStatus? filter, CampaignCursor? position, CancellationToken cancellationToken)
    {
        var calls = new List<CallRecord>(PageSize);
        var scanned = 0;
        var ended = false;
        while (calls.Count < PageSize && scanned < Budget && !ended)
        {
            var want = filter is null ? PageSize - calls.Count : Math.Min(Chunk, Budget - scanned);

            // One more than needed, to know whether the campaign goes on past this chunk.
            var entries = await store.GetCampaignCallIdsAsync(campaignId, position, want + 1, cancellationToken);
            var chunk = entries.Take(want).ToList();
            var records = (await store.GetManyAsync(chunk.Select(entry => entry.CallId).ToList(), cancellationToken))
                .ToDictionary(record => record.CallId, StringComparer.Ordinal);
            var used = 0;
            foreach (var entry in chunk)
            {
                position = CampaignCursor.After(position, entry);
                used++;
                if (records.TryGetValue(entry.CallId, out var record) && (filter is null || record.Status == filter))
                {
                    calls.Add(record);
                    if (calls.Count == PageSize)
                    {
                        break;
                    }
                }
            }

            scanned += used;
            ended = used == chunk.Count && entries.Count <= want;
        }

        return (calls, ended || position is null ? null : CampaignCursorToken.Encode(position.Value));
    }
}
