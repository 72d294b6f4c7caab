using CallQueue.Jobs.Storage;
using StackExchange.Redis;

namespace CallQueue.Tests.Storage;

/// <summary>
/// The <see cref="CallStoreContract"/> on <see cref="RedisCallStore"/> (the shared redis-server, a new key prefix per
/// test), and what only Redis has: its keys and their TTLs.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisCallStoreTests : CallStoreContract
{
    private ConnectionMultiplexer _redis = null!;
    private ConnectionMultiplexer _otherProcess = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync()
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
        _otherProcess = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task DisconnectAsync()
    {
        await _redis.DisposeAsync();
        await _otherProcess.DisposeAsync();
    }

    protected override Task<ICallStore> CreateStoreAsync(TimeProvider clock)
    {
        _prefix = SharedRedis.NewKeyPrefix();
        return Task.FromResult<ICallStore>(new RedisCallStore(_redis, _prefix, clock));
    }

    protected override Task<ICallStore> ConnectAnotherProcessAsync() =>
        Task.FromResult<ICallStore>(new RedisCallStore(_otherProcess, _prefix, Clock));

    /// <summary>
    /// Redis expires keys on its own clock, which a test cannot move: on top of the store's clock, every key of this
    /// store loses the time passed from the TTL Redis holds for it (and is deleted when that runs out).
    /// </summary>
    protected override async Task LetTimePassAsync(TimeSpan time)
    {
        await base.LetTimePassAsync(time);
        var db = _redis.GetDatabase();
        await foreach (var key in _redis.GetServer(_redis.GetEndPoints()[0]).KeysAsync(pattern: Key("*")))
        {
            if (await db.KeyTimeToLiveAsync(key) is not { } left)
            {
                continue;
            }

            _ = left <= time ? await db.KeyDeleteAsync(key) : await db.KeyExpireAsync(key, left - time);
        }
    }

    [Test]
    public async Task CreateAsync_IdempotencyKey_StoredUnderItsKeyWithTtlOfSevenDays()
    {
        await Store.CreateAsync([NewCall("call_a") with { IdempotencyKey = "key-1" }], None);

        var db = _redis.GetDatabase();
        Assert.That((string?)await db.StringGetAsync(Key("idem:key-1")), Is.EqualTo("call_a"));
        Assert.That(await db.KeyTimeToLiveAsync(Key("idem:key-1")), Is.InRange(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(5), TimeSpan.FromDays(7)));
        Assert.That(await db.KeyTimeToLiveAsync(Key("call:call_a")), Is.Null, "calls themselves never expire");
    }

    [Test]
    public async Task CreateAsync_BulkRequest_IndexedInItsCampaignByOneEntryNamingAListOfItsCalls()
    {
        var calls = Enumerable.Range(0, 50).Select(i => NewCall(FormattableString.Invariant($"batch-1-{i:D5}")) with { BatchId = "batch-1" }).ToList();
        await Store.CreateAsync([.. calls, NewCall("call_alone")], None);

        var db = _redis.GetDatabase();
        var group = FormattableString.Invariant($"{calls[0].CreatedAt.ToUnixTimeMilliseconds()}/batch-1");
        Assert.That(
            (await db.SortedSetRangeByRankAsync(Key("campaign:campaign-1"))).Select(member => member.ToString()),
            Is.EquivalentTo(new[] { group, "call_alone" }), "one entry for the 50 calls of the request, one for the call alone");
        Assert.That(
            (await db.ListRangeAsync(Key("cgroup:campaign-1/" + group))).Select(id => id.ToString()),
            Is.EqualTo(calls.Select(call => call.CallId)), "the group's list, in request order");
    }

    [Test]
    public async Task GetCampaignCallIdsAsync_EntriesOfTheirOwnWrittenBeforeGroups_ListedWithTheGroups()
    {
        // Before issue 15 every call had an entry of its own, a bulk request's calls too: a campaign that grows after the
        // upgrade holds both kinds.
        var before = Enumerable.Range(0, 10).Select(i => NewCall(FormattableString.Invariant($"old-{i:D5}")) with { BatchId = "old" }).ToList();
        await Store.CreateAsync(before, None);
        var db = _redis.GetDatabase();
        var createdAtMs = before[0].CreatedAt.ToUnixTimeMilliseconds();
        await db.KeyDeleteAsync([Key("campaign:campaign-1"), Key(FormattableString.Invariant($"cgroup:campaign-1/{createdAtMs}/old"))]);
        await db.SortedSetAddAsync(Key("campaign:campaign-1"), before.Select(call => new SortedSetEntry(call.CallId, createdAtMs)).ToArray());
        await LetTimePassAsync(TimeSpan.FromSeconds(1));
        var after = Enumerable.Range(0, 10).Select(i => NewCall(FormattableString.Invariant($"new-{i:D5}")) with { BatchId = "new" }).ToList();
        await Store.CreateAsync(after, None);

        var listed = new List<string>();
        CampaignCursor? cursor = null;
        while (await Store.GetCampaignCallIdsAsync("campaign-1", cursor, 3, None) is { Count: > 0 } page)
        {
            listed.AddRange(page.Select(entry => entry.CallId));
            cursor = page.Aggregate(cursor, (at, entry) => CampaignCursor.After(at, entry));
        }

        Assert.That(listed, Is.EqualTo(after.Select(call => call.CallId).Reverse().Concat(before.Select(call => call.CallId).Reverse())));
        Assert.That(await Store.WithdrawAsync(before[0], None), Is.True, "a call with an entry of its own is withdrawn from it");
        Assert.That(await Store.GetCampaignCallIdsAsync("campaign-1", null, 100, None), Has.Count.EqualTo(19));
    }

    /// <summary>A key of the documented schema (CallStoreKeys), e.g. <c>Key("idem:k")</c> = <c>{prefix}:idem:k</c>.</summary>
    private string Key(string name) => "{" + _prefix + "}:" + name;
}
