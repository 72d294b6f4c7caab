using System.Globalization;
using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// How a campaign's index holds the calls of a bulk request (issue 15). An entry of its own per call cost ~100 bytes of
/// Redis per queued call (a campaign's sorted set is a skiplist past 128 entries), as much as anything of ours beside the
/// record. The calls of one request that share a campaign, a batch and a created_at (a bulk request stamps them all with
/// one), at least <see cref="MinimumGroup"/> of them, are indexed by one entry, <c>{created_at ms}/{batch_id}</c>, whose
/// score is that created_at and which names a list of their ids in request order (<see cref="CallStoreKeys.CampaignGroup"/>,
/// ~16 bytes a call); every other call keeps an entry of its own, its id. Call and batch ids never contain '/', so the two
/// kinds never mix up. Newest first, a group's calls come in reverse request order, at the group's place among the entries
/// of its millisecond (Redis orders equal scores by member, descending): both stores list them so.
/// </summary>
internal static class CampaignIndexGroups
{
    /// <summary>
    /// The fewest calls indexed as a group: a list's own overhead (~200 bytes with its key) outweighs entries of their own
    /// below it (a bulk request of one call keeps the index as it was).
    /// </summary>
    public const int MinimumGroup = 8;

    public static string Member(long createdAtMs, string batchId) =>
        createdAtMs.ToString(CultureInfo.InvariantCulture) + "/" + batchId;

    public static bool IsGroup(string member) => member.Contains('/', StringComparison.Ordinal);

    /// <summary>Each call's group entry, or null for a call indexed by its own id.</summary>
    public static string?[] Of(IReadOnlyList<CallRecord> calls)
    {
        var groups = calls
            .Select(call => call.BatchId is { } batchId ? new Group(call.CampaignId, batchId, call.CreatedAt.ToUnixTimeMilliseconds()) : (Group?)null)
            .ToArray();
        var sizes = groups.OfType<Group>().CountBy(group => group).ToDictionary();
        return groups.Select(group => group is { } of && sizes[of] >= MinimumGroup ? Member(of.CreatedAtMs, of.BatchId) : null).ToArray();
    }

    private readonly record struct Group(string CampaignId, string BatchId, long CreatedAtMs);
}
