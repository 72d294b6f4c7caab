using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>
/// A campaign's listing when a bulk request's calls are indexed as one group (issue 15, <see cref="CampaignIndexGroups"/>):
/// the same calls, newest first, a request's calls in reverse request order, every page and cursor as with entries of
/// their own; a withdrawn call leaves the listing, the last one takes its group with it.
/// </summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task GetCampaignCallIdsAsync_BulkRequestsAmongSingleCalls_PagesThroughEveryCallOnceNewestFirst()
    {
        await Store.CreateAsync([NewCall("single-old")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var first = BulkRequest("batch-1", 10);
        await Store.CreateAsync([.. first, NewCall("other-campaign", "campaign-2") with { BatchId = "batch-1" }], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        await Store.CreateAsync([NewCall("single-mid")], None);
        var second = BulkRequest("batch-2", 9);
        await Store.CreateAsync(second, None);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var small = BulkRequest("batch-3", CampaignIndexGroups.MinimumGroup - 1);
        await Store.CreateAsync(small, None);

        string[] expected =
        [
            .. small.Select(call => call.CallId).Reverse(),
            "single-mid", // stored in the same millisecond as the second request: equal scores go by member, descending
            .. second.Select(call => call.CallId).Reverse(),
            .. first.Select(call => call.CallId).Reverse(),
            "single-old",
        ];
        foreach (var pageSize in new[] { 1, 3, 7, 100 })
        {
            var pages = await ReadCampaignAsync("campaign-1", pageSize);
            Assert.That(pages.SelectMany(page => page).Select(entry => entry.CallId), Is.EqualTo(expected), $"pages of {pageSize}");
            Assert.That(pages.Take(pages.Count - 1).Select(page => page.Length), Is.All.EqualTo(pageSize), $"pages of {pageSize} are full but the last");
        }

        var all = (await ReadCampaignAsync("campaign-1", 100)).SelectMany(page => page).ToDictionary(entry => entry.CallId, entry => entry.CreatedAtMs);
        Assert.That(all[first[0].CallId], Is.EqualTo(first[0].CreatedAt.ToUnixTimeMilliseconds()), "a request's calls carry its created_at");
        Assert.That(all["single-old"], Is.LessThan(all[first[0].CallId]));
        Assert.That((await Store.GetCampaignCallIdsAsync("campaign-2", null, 10, None)).Select(entry => entry.CallId), Is.EqualTo(new[] { "other-campaign" }));
    }

    [Test]
    public async Task GetCampaignCallIdsAsync_CursorInsideABulkRequest_ResumesAtTheNextCall()
    {
        var calls = BulkRequest("batch-1", 20);
        await Store.CreateAsync(calls, None);
        var firstPage = await Store.GetCampaignCallIdsAsync("campaign-1", null, 5, None);
        var cursor = firstPage.Aggregate((CampaignCursor?)null, (at, entry) => CampaignCursor.After(at, entry));

        await LetTimePassAsync(TimeSpan.FromMilliseconds(5));
        await Store.CreateAsync(BulkRequest("batch-2", 10), None);
        var next = await Store.GetCampaignCallIdsAsync("campaign-1", cursor, 5, None);

        Assert.That(cursor, Is.EqualTo(new CampaignCursor(calls[0].CreatedAt.ToUnixTimeMilliseconds(), 5)));
        Assert.That(next.Select(entry => entry.CallId), Is.EqualTo(calls.Select(call => call.CallId).Reverse().Skip(5).Take(5)), "a newer request does not shift the pages still to come");
    }

    [Test]
    public async Task WithdrawAsync_CallsOfABulkRequest_LeaveTheListingOneByOne()
    {
        var calls = BulkRequest("batch-1", CampaignIndexGroups.MinimumGroup);
        await Store.CreateAsync(calls, None);

        Assert.That(await Store.WithdrawAsync(calls[3], None), Is.True);
        Assert.That(
            (await Store.GetCampaignCallIdsAsync("campaign-1", null, 100, None)).Select(entry => entry.CallId),
            Is.EqualTo(calls.Where(call => call != calls[3]).Select(call => call.CallId).Reverse()));

        foreach (var call in calls.Where(call => call != calls[3]))
        {
            Assert.That(await Store.WithdrawAsync(call, None), Is.True);
        }

        Assert.That(await Store.GetCampaignCallIdsAsync("campaign-1", null, 100, None), Is.Empty);
        Assert.That((await Store.CreateAsync(calls, None)).Select(result => result.Created), Is.All.True, "queued again, listed again");
        Assert.That(await Store.GetCampaignCallIdsAsync("campaign-1", null, 100, None), Has.Count.EqualTo(calls.Count));
    }

    /// <summary>A bulk request's calls: one batch, one created_at, ids as the API makes them (batch-00000, ...).</summary>
    private List<CallRecord> BulkRequest(string batchId, int calls) =>
        Enumerable.Range(0, calls).Select(i => NewCall(FormattableString.Invariant($"{batchId}-{i:D5}")) with { BatchId = batchId }).ToList();
}
