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

    /// <summary>A key of the documented schema (CallStoreKeys), e.g. <c>Key("idem:k")</c> = <c>{prefix}:idem:k</c>.</summary>
    private string Key(string name) => "{" + _prefix + "}:" + name;
}
