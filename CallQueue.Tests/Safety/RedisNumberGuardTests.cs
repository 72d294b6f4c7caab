using CallQueue.Jobs.Safety;
using StackExchange.Redis;

namespace CallQueue.Tests.Safety;

/// <summary>
/// The <see cref="NumberGuardContract"/> on <see cref="RedisNumberGuard"/> (the shared redis-server, a new key prefix per
/// test), and what only Redis has: nothing is kept for a number once its rules have run out.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisNumberGuardTests : NumberGuardContract
{
    private ConnectionMultiplexer _redis = null!;
    private string _prefix = null!;

    [OneTimeSetUp]
    public async Task ConnectAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString);

    [OneTimeTearDown]
    public async Task DisconnectAsync() => await _redis.DisposeAsync();

    protected override Task<(INumberGuard Guard, IDoNotCallList DoNotCall)> CreateAsync()
    {
        _prefix = SharedRedis.NewKeyPrefix();
        return Task.FromResult<(INumberGuard, IDoNotCallList)>((new RedisNumberGuard(_redis, _prefix), new RedisDoNotCallList(_redis, _prefix)));
    }

    [Test]
    public async Task EveryKey_ExpiresOnItsOwn()
    {
        var limits = new NumberLimits(OneCallPerNumber: true, MinGap: TimeSpan.FromSeconds(60), MaxPerDay: 3, CampaignMaxPerDay: 3);
        await Guard.TryTakeAsync(new NumberClaim("call_a", Number, "spring", 1, "job-a", TimeSpan.FromMinutes(30), limits), None);
        await Guard.TryTakeAsync(new NumberClaim("call_b", Number, "spring", 1, "job-b", TimeSpan.FromMinutes(30), limits), None);
        await Guard.ReleaseAsync("call_a", Number, "spring", TimeSpan.FromSeconds(60), unusedAttempt: null, None);
        await Guard.TryTakeAsync(new NumberClaim("call_c", Number, "spring", 1, "job-c", TimeSpan.FromMinutes(30), limits), None);

        var server = _redis.GetServer(_redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: "{" + _prefix + "}:num:*").ToList();
        var ttls = await Task.WhenAll(keys.Select(key => _redis.GetDatabase().KeyTimeToLiveAsync(key)));

        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(key => ((string)key!)[(_prefix.Length + 3)..]), Is.EquivalentTo(new[] { "num:gap:919876543210", "num:day:919876543210", "num:day:919876543210:spring" }));
            Assert.That(ttls, Has.All.Not.Null, "a number not being called leaves nothing behind");
        });
    }
}
