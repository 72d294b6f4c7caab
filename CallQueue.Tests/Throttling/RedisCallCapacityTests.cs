using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Throttling;

/// <summary>
/// The <see cref="CallCapacityContract"/> on <see cref="RedisCallCapacity"/> (every "process" its own instance and
/// connection on one key prefix of the shared redis-server), and what only Redis has: its keys and their TTLs. The
/// Redis rate under load is in <see cref="RedisCallCapacityRateTests"/>.
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class RedisCallCapacityTests : CallCapacityContract
{
    // Redis TIME is sampled in whole ms by the scripts, and a sleep is never early but its end may round down by one.
    private static readonly TimeSpan SleepMargin = TimeSpan.FromMilliseconds(50);

    private RedisCapacityHarness _redis = null!;

    protected override Task StartAsync(FakeTimeProvider clock)
    {
        _redis = new RedisCapacityHarness(clock);
        return Task.CompletedTask;
    }

    protected override async Task<ICallCapacity> NewProcessAsync() => await _redis.NewProcessAsync();

    protected override async Task LetTimePassAsync(TimeSpan time)
    {
        Clock.Advance(time);
        await Task.Delay(time + SleepMargin);
    }

    [TearDown]
    public async Task DisposeHarnessAsync() => await _redis.DisposeAsync();

    [Test]
    public async Task TryAcquireSlotAsync_SameCallAgain_ExtendsKeyTtl()
    {
        var db = await _redis.ConnectAsync();
        await Capacity.TryAcquireSlotAsync("call-1", 1, ShortLease, NoQueue, None);

        await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);

        var grace = TimeSpan.FromHours(1);
        Assert.That(await db.KeyTimeToLiveAsync(_redis.Key("slots")), Is.GreaterThan(Lease + grace - TimeSpan.FromSeconds(5)).And.LessThanOrEqualTo(Lease + grace));
    }

    [Test]
    public async Task TryAcquireSlotAsync_AnyCall_WritesDocumentedKeysWithTtl()
    {
        var db = await _redis.ConnectAsync();

        await Capacity.TryAcquireSlotAsync("call-1", 5, Lease, NoQueue, None);

        var leases = await db.SortedSetRangeByRankWithScoresAsync(_redis.Key("slots"));
        Assert.That(leases.Select(lease => (string?)lease.Element), Is.EqualTo(new[] { "call-1" }));
        var expiresIn = DateTimeOffset.FromUnixTimeMilliseconds((long)leases[0].Score) - DateTimeOffset.UtcNow;
        Assert.That(expiresIn, Is.InRange(Lease - TimeSpan.FromSeconds(5), Lease + TimeSpan.FromSeconds(5)), "score = expiry in Redis-time ms");
        Assert.That(await db.KeyTimeToLiveAsync(_redis.Key("slots")), Is.Not.Null);
        await Capacity.ReleaseSlotAsync("call-1", None);
        Assert.That(await db.KeyExistsAsync(_redis.Key("slots")), Is.False, "the last release leaves no key behind");
    }
}
