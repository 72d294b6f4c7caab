using CallQueue.Jobs.Safety;
using StackExchange.Redis;

namespace CallQueue.Tests.Safety;

/// <summary>
/// The <see cref="DoNotCallListContract"/> on <see cref="RedisDoNotCallList"/> (the shared redis-server, a new key prefix
/// per test), and what only Redis has: the layout of <see cref="DoNotCallKeys"/> and its compact encoding.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisDoNotCallListTests : DoNotCallListContract
{
    private ConnectionMultiplexer _redis = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    protected override Task<IDoNotCallList> CreateListAsync()
    {
        _prefix = SharedRedis.NewKeyPrefix();
        return Task.FromResult<IDoNotCallList>(new RedisDoNotCallList(_redis, _prefix));
    }

    [Test]
    public async Task AddAsync_GlobalEntryWithoutReason_IsOneIntegerFieldInTheNumbersBucket()
    {
        await List.AddAsync(["+919876543210"], Global(), None);

        var db = _redis.GetDatabase();
        var bucket = await db.HashGetAllAsync(Key("dnc:9198765"));
        Assert.That(bucket, Has.Length.EqualTo(1));
        Assert.That((string?)bucket[0].Name, Is.EqualTo("43210"));
        Assert.That((long)bucket[0].Value, Is.EqualTo((long)(At - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMinutes), "minutes since 2020");
        Assert.That((string?)await db.ExecuteAsync("OBJECT", "ENCODING", Key("dnc:9198765")), Is.EqualTo("listpack"));
    }

    [Test]
    public async Task AddAsync_LongEncoding_GoesToTheSideHashAndTheBucketStaysAListpack()
    {
        await List.AddAsync(["+919876543210"], Global(new string('r', 200)), None);

        var db = _redis.GetDatabase();
        Assert.That((string?)await db.HashGetAsync(Key("dnc:9198765"), "43210"), Is.EqualTo("\u001d"));
        Assert.That((string?)await db.HashGetAsync(Key("dnc-long"), "919876543210"), Does.EndWith(new string('r', 200)));
        Assert.That((string?)await db.ExecuteAsync("OBJECT", "ENCODING", Key("dnc:9198765")), Is.EqualTo("listpack"));

        await List.RemoveAsync("+919876543210", null, None);
        Assert.That(await db.KeyExistsAsync(Key("dnc-long")), Is.False, "the side value goes with its number");
        Assert.That(await db.KeyExistsAsync(Key("dnc:9198765")), Is.False);
    }

    [Test]
    public async Task CheckLua_AsTheDialGateWouldRunIt_NeedsOnlyTheKeysItDeclares()
    {
        await List.AddAsync(["+14155550123"], ForCampaign("c1", "asked"), None);
        var keys = new DoNotCallKeys(_prefix);
        RedisKey[] declared = [keys.Bucket("+14155550123"), keys.Long];

        var hit = await _redis.GetDatabase().ScriptEvaluateAsync(DoNotCallScripts.CheckLua, declared, [DoNotCallKeys.Field("+14155550123"), "14155550123", "c1"]);
        var miss = await _redis.GetDatabase().ScriptEvaluateAsync(DoNotCallScripts.CheckLua, declared, [DoNotCallKeys.Field("+14155550123"), "14155550123", "c2"]);

        Assert.That(DoNotCallEncoding.DecodeEntry((string)hit!), Is.EqualTo(ForCampaign("c1", "asked")));
        Assert.That(miss.IsNull, Is.True);
        Assert.That(declared.Select(key => key.ToString()), Has.All.StartWith("{" + _prefix + "}:"), "one hash tag: one cluster slot");
    }

    /// <summary>A key of the documented layout, e.g. <c>Key("dnc-long")</c> = <c>{prefix}:dnc-long</c>.</summary>
    private string Key(string name) => "{" + _prefix + "}:" + name;
}
