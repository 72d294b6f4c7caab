using CallQueue.Jobs.Audit;
using StackExchange.Redis;

namespace CallQueue.Tests.Audit;

/// <summary>
/// The <see cref="AuditLogContract"/> on <see cref="RedisAuditLog"/> (the shared redis-server, a new key prefix per test),
/// and what only Redis has: the layout of <see cref="AuditKeys"/>, the caps, the target list's expiry.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisAuditLogTests : AuditLogContract
{
    private ConnectionMultiplexer _redis = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    protected override Task<IAuditLog> CreateLogAsync()
    {
        _prefix = SharedRedis.NewKeyPrefix();
        return Task.FromResult<IAuditLog>(new RedisAuditLog(_redis, _prefix));
    }

    [Test]
    public async Task RecordAsync_OneEntry_InTheLogAndItsTargetsListUnderOneHashTag()
    {
        await Log.RecordAsync(Entry(1, target: "campaign:spring"), None);

        var db = _redis.GetDatabase();
        var all = await db.SortedSetRangeByRankWithScoresAsync(Key("audit"));
        var own = await db.SortedSetRangeByRankAsync(Key("audit:campaign:spring"));
        var ttl = await db.KeyTimeToLiveAsync(Key("audit:campaign:spring"));
        Assert.Multiple(async () =>
        {
            Assert.That(all, Has.Length.EqualTo(1));
            Assert.That(all[0].Score, Is.EqualTo(At.AddSeconds(1).ToUnixTimeMilliseconds()));
            Assert.That((string?)all[0].Element, Does.Contain("\"target\":\"campaign:spring\"").And.Contain("\"actor\":\"ops\""));
            Assert.That(own, Is.EqualTo(new[] { all[0].Element }));
            Assert.That(ttl, Is.EqualTo(AuditLimits.TargetRetention).Within(TimeSpan.FromMinutes(1)));
            Assert.That(await db.KeyTimeToLiveAsync(Key("audit")), Is.Null, "the whole log never expires");
        });
    }

    [Test]
    public async Task RecordAsync_PastTheTargetsCap_KeepsTheNewest()
    {
        var db = _redis.GetDatabase();
        await Task.WhenAll(Enumerable.Range(0, AuditLimits.MaxEntriesPerTarget + 10)
            .Select(i => Log.RecordAsync(new AuditEntry(At.AddMilliseconds(i), "ops", "requeue", "call:c-1", i), None)));

        var own = await db.SortedSetLengthAsync(Key("audit:call:c-1"));
        var newest = await Log.ListAsync(new AuditQuery(Target: "call:c-1", Limit: 1), None);
        var oldestKept = await db.SortedSetRangeByRankWithScoresAsync(Key("audit:call:c-1"), 0, 0);

        Assert.Multiple(() =>
        {
            Assert.That(own, Is.EqualTo(AuditLimits.MaxEntriesPerTarget));
            Assert.That(newest.Single().Calls, Is.EqualTo(AuditLimits.MaxEntriesPerTarget + 9));
            Assert.That(oldestKept.Single().Score, Is.EqualTo(At.AddMilliseconds(10).ToUnixTimeMilliseconds()), "the 10 oldest are dropped");
        });
    }

    /// <summary>A key of the documented layout, e.g. <c>Key("audit")</c> = <c>{prefix}:audit</c>.</summary>
    private string Key(string name) => "{" + _prefix + "}:" + name;
}
