using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;

namespace CallQueue.Tests.Storage;

/// <summary>The indexes: calls awaiting their dial job, a campaign's calls (cursor paging), active ids, counts by status.</summary>
public abstract partial class CallStoreContract
{
    [Test]
    public async Task GetCallsAwaitingJobAsync_OlderThan_ListsCallsStoredAtLeastThatLongAgoWithoutAJob()
    {
        await Store.CreateAsync([NewCall("call_a")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(10));
        await Store.CreateAsync([NewCall("call_b")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(10));
        await Store.CreateAsync([NewCall("call_c")], None);

        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.FromSeconds(15), 10, None), Is.EqualTo(new[] { "call_a" }));
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.FromSeconds(10), 10, None), Is.EqualTo(new[] { "call_a", "call_b" }), "exactly 10 s old is in");
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.EqualTo(new[] { "call_a", "call_b", "call_c" }), "oldest first");
        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 2, None), Is.EqualTo(new[] { "call_a", "call_b" }), "the oldest, up to the limit");

        await Store.AssignJobAsync("call_a", "job-1", None);

        Assert.That(await Store.GetCallsAwaitingJobAsync(TimeSpan.Zero, 10, None), Is.EqualTo(new[] { "call_b", "call_c" }));
    }

    [Test]
    public async Task GetCampaignCallIdsAsync_PagesOfTwo_NewestFirstTiesInReverseCallIdOrder()
    {
        var oldest = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await Store.CreateAsync([NewCall("call_z")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var batch = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await Store.CreateAsync([NewCall("call_b"), NewCall("call_c"), NewCall("call_a"), NewCall("call_x", "campaign-2")], None);
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var newest = Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await Store.CreateAsync([NewCall("call_m")], None);

        var pages = await ReadCampaignAsync("campaign-1", pageSize: 2);

        Assert.That(pages, Is.EqualTo(new[]
        {
            new[] { new CampaignCallEntry("call_m", newest), new CampaignCallEntry("call_c", batch) },
            new[] { new CampaignCallEntry("call_b", batch), new CampaignCallEntry("call_a", batch) },
            new[] { new CampaignCallEntry("call_z", oldest) },
        }));
        Assert.That(await Store.GetCampaignCallIdsAsync("campaign-unknown", null, 10, None), Is.Empty);
    }

    [Test]
    public async Task GetCampaignCallIdsAsync_CallQueuedWhilePaging_DoesNotShiftTheNextPage()
    {
        await Store.CreateAsync([NewCall("call_a"), NewCall("call_b"), NewCall("call_c")], None);
        var first = await Store.GetCampaignCallIdsAsync("campaign-1", null, 2, None);
        var cursor = first.Aggregate((CampaignCursor?)null, (at, entry) => CampaignCursor.After(at, entry));

        await LetTimePassAsync(TimeSpan.FromMilliseconds(1));
        await Store.CreateAsync([NewCall("call_d")], None);

        var next = await Store.GetCampaignCallIdsAsync("campaign-1", cursor, 2, None);
        Assert.That(first.Select(entry => entry.CallId), Is.EqualTo(new[] { "call_c", "call_b" }));
        Assert.That(next.Select(entry => entry.CallId), Is.EqualTo(new[] { "call_a" }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    public void GetCampaignCallIdsAsync_CountNotPositive_Throws(int count) =>
        Assert.That(async () => await Store.GetCampaignCallIdsAsync("campaign-1", null, count, None), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [Test]
    public async Task GetActiveCallIdsAsync_MixedStatuses_ListsDialingRingingAndInProgressUpToTheLimit()
    {
        var statuses = new Dictionary<string, CallStatus>
        {
            ["call_a"] = CallStatus.Dialing,
            ["call_b"] = CallStatus.Ringing,
            ["call_c"] = CallStatus.InProgress,
            ["call_d"] = CallStatus.Completed,
            ["call_e"] = CallStatus.Queued,
            ["call_f"] = CallStatus.Retry,
        };
        await Store.CreateAsync(statuses.Keys.Select(id => NewCall(id)).ToList(), None);
        foreach (var (callId, status) in statuses.Where(entry => entry.Value != CallStatus.Queued))
        {
            await Store.UpdateAsync(callId, call => call with { Status = status }, None);
        }

        Assert.That(await Store.GetActiveCallIdsAsync(10, None), Is.EquivalentTo(new[] { "call_a", "call_b", "call_c" }));
        Assert.That(await Store.GetActiveCallIdsAsync(2, None), Has.Count.EqualTo(2).And.SubsetOf(new[] { "call_a", "call_b", "call_c" }));
        Assert.That(await Store.GetActiveCallIdsAsync(0, None), Is.Empty, "a limit of 0 lists nothing");
    }

    [Test]
    public async Task CountByStatusAsync_EmptyStore_ZeroForEveryStatus() =>
        Assert.That(await Store.CountByStatusAsync(None), Is.EquivalentTo(Enum.GetValues<CallStatus>().ToDictionary(status => status, _ => 0L)));

    [Test]
    public async Task CountByStatusAsync_CallsInSeveralStatuses_CountsEach()
    {
        await Store.CreateAsync([NewCall("call_a"), NewCall("call_b"), NewCall("call_c")], None);
        await Store.UpdateAsync("call_a", call => call with { Status = CallStatus.Failed }, None);
        await Store.UpdateAsync("call_b", call => call with { Status = CallStatus.Failed }, None);

        var counts = await Store.CountByStatusAsync(None);

        Assert.That(counts[CallStatus.Failed], Is.EqualTo(2));
        Assert.That(counts[CallStatus.Queued], Is.EqualTo(1));
        Assert.That(counts.Values.Sum(), Is.EqualTo(3));
    }

    private async Task<List<CampaignCallEntry[]>> ReadCampaignAsync(string campaignId, int pageSize)
    {
        var pages = new List<CampaignCallEntry[]>();
        CampaignCursor? cursor = null;
        while (true)
        {
            var page = await Store.GetCampaignCallIdsAsync(campaignId, cursor, pageSize, None);
            if (page.Count == 0)
            {
                return pages;
            }

            pages.Add([.. page]);
            cursor = page.Aggregate(cursor, (at, entry) => CampaignCursor.After(at, entry));
        }
    }
}
