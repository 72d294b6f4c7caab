using System.Diagnostics;
using CallQueue.Jobs.Throttling;

namespace CallQueue.Tests.Throttling;

[TestFixture]
public sealed class RedisCallCapacitySlotTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(200);
    private static readonly CancellationToken None = CancellationToken.None;

    private RedisCapacityHarness _redis = null!;

    [SetUp]
    public void CreateHarness() => _redis = new RedisCapacityHarness();

    [TearDown]
    public async Task DisposeHarnessAsync() => await _redis.DisposeAsync();

    [Test]
    public async Task TryAcquireSlotAsync_32CallersOnSeparateConnections_NeverMoreThanMaxActive()
    {
        const int MaxSlots = 10;
        const int Callers = 32;
        var capacities = await _redis.NewProcessesAsync(Callers);
        var sampler = await _redis.ConnectAsync();
        var slots = _redis.Key("slots");
        long holding = 0, mostHolding = 0, mostReported = 0, acquired = 0, refused = 0, mostSampled = 0, samples = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Max(ref mostSampled, await sampler.SortedSetLengthAsync(slots));
                samples++;
            }
        });
        var callers = capacities.Select((capacity, caller) => Task.Run(async () =>
        {
            for (var call = 0; !stop.IsCancellationRequested; call++)
            {
                var callId = $"call-{caller}-{call}";
                var result = await capacity.TryAcquireSlotAsync(callId, MaxSlots, Lease, None);
                Max(ref mostReported, result.Active);
                if (!result.Acquired)
                {
                    Interlocked.Increment(ref refused);
                    await capacity.WaitForFreedSlotAsync(TimeSpan.FromMilliseconds(100), None);
                    continue;
                }

                Interlocked.Increment(ref acquired);
                Max(ref mostHolding, Interlocked.Increment(ref holding));
                await Task.Delay(Random.Shared.Next(0, 3));
                Interlocked.Decrement(ref holding);
                await capacity.ReleaseSlotAsync(callId, None);
            }
        })).ToList();
        await Task.WhenAll([.. callers, sampling]);

        await TestContext.Out.WriteLineAsync(
            $"{Callers} callers, max {MaxSlots}: {acquired} acquired, {refused} refused; most active reported {mostReported}, "
            + $"most held at once {mostHolding}, most in the ZSET over {samples} samples {mostSampled}");
        Assert.That(acquired, Is.GreaterThan(100));
        Assert.That(refused, Is.GreaterThan(0), "the callers never contended");
        Assert.That(mostReported, Is.EqualTo(MaxSlots));
        Assert.That(mostHolding, Is.LessThanOrEqualTo(MaxSlots));
        Assert.That(mostSampled, Is.InRange(1, MaxSlots));
        Assert.That(await capacities[0].CountSlotsAsync(None), Is.Zero);
        Assert.That(await sampler.KeyExistsAsync(slots), Is.False);
    }

    [Test]
    public async Task TryAcquireSlotAsync_SameCallTwice_HoldsOneSlot()
    {
        var capacity = await _redis.NewProcessAsync();

        var first = await capacity.TryAcquireSlotAsync("call-1", 1, Lease, None);
        var again = await capacity.TryAcquireSlotAsync("call-1", 1, Lease, None);
        var other = await capacity.TryAcquireSlotAsync("call-2", 1, Lease, None);

        Assert.That(first, Is.EqualTo(new SlotResult(true, 1)));
        Assert.That(again, Is.EqualTo(new SlotResult(true, 1)));
        Assert.That(other, Is.EqualTo(new SlotResult(false, 1)));
        Assert.That(await capacity.CountSlotsAsync(None), Is.EqualTo(1));
    }

    [Test]
    public async Task TryAcquireSlotAsync_SameCallAgain_ExtendsLeaseAndKeyTtl()
    {
        var capacity = await _redis.NewProcessAsync();
        var db = await _redis.ConnectAsync();
        await capacity.TryAcquireSlotAsync("call-1", 1, ShortLease, None);

        await capacity.TryAcquireSlotAsync("call-1", 1, Lease, None);
        await Task.Delay(ShortLease + TimeSpan.FromMilliseconds(100));

        Assert.That(await capacity.CountSlotsAsync(None), Is.EqualTo(1));
        var grace = TimeSpan.FromHours(1);
        Assert.That(await db.KeyTimeToLiveAsync(_redis.Key("slots")), Is.GreaterThan(Lease + grace - TimeSpan.FromSeconds(5)).And.LessThanOrEqualTo(Lease + grace));
    }

    [Test]
    public async Task ReleaseSlotAsync_Twice_NoErrorAndNoNegativeCount()
    {
        var capacity = await _redis.NewProcessAsync();
        await capacity.TryAcquireSlotAsync("call-1", 1, Lease, None);

        await capacity.ReleaseSlotAsync("call-1", None);
        await capacity.ReleaseSlotAsync("call-1", None);
        await capacity.ReleaseSlotAsync("never-acquired", None);

        Assert.That(await capacity.CountSlotsAsync(None), Is.Zero);
        Assert.That(await capacity.TryAcquireSlotAsync("call-2", 1, Lease, None), Is.EqualTo(new SlotResult(true, 1)));
    }

    [Test]
    public async Task TryAcquireSlotAsync_AtCapAfterLeasesExpire_ReclaimsThemAndSucceeds()
    {
        var capacity = await _redis.NewProcessAsync();
        await capacity.TryAcquireSlotAsync("call-1", 2, ShortLease, None);
        await capacity.TryAcquireSlotAsync("call-2", 2, Lease, None);
        Assert.That((await capacity.TryAcquireSlotAsync("call-3", 2, Lease, None)).Acquired, Is.False);

        await Task.Delay(ShortLease + TimeSpan.FromMilliseconds(100));

        Assert.That(await capacity.CountSlotsAsync(None), Is.EqualTo(1), "live leases only, before any sweep");
        Assert.That(await capacity.TryAcquireSlotAsync("call-3", 2, Lease, None), Is.EqualTo(new SlotResult(true, 2)));
    }

    [Test]
    public async Task TryAcquireSlotAsync_ReclaimingExpiredLeases_WakesWaiterInAnotherProcess()
    {
        var capacity = await _redis.NewProcessAsync();
        var other = await _redis.NewProcessAsync();
        await capacity.TryAcquireSlotAsync("call-1", 2, ShortLease, None);
        await capacity.TryAcquireSlotAsync("call-2", 2, ShortLease, None);
        await other.WaitForFreedSlotAsync(TimeSpan.Zero, None); // subscribed from here on
        var waiting = other.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        await Task.Delay(ShortLease + TimeSpan.FromMilliseconds(100));
        Assert.That(waiting.IsCompleted, Is.False, "expiry alone announces nothing");

        var clock = Stopwatch.StartNew();
        var result = await capacity.TryAcquireSlotAsync("call-3", 2, Lease, None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(2));

        await TestContext.Out.WriteLineAsync($"waiter woke {clock.Elapsed.TotalMilliseconds:F1} ms after the reclaiming acquire");
        Assert.That(result, Is.EqualTo(new SlotResult(true, 1)));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_ReleaseInAnotherProcess_CompletesSoon()
    {
        var holder = await _redis.NewProcessAsync();
        var waiter = await _redis.NewProcessAsync();
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, None);
        await waiter.WaitForFreedSlotAsync(TimeSpan.Zero, None);
        var waiting = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        await Task.Delay(50);
        Assert.That(waiting.IsCompleted, Is.False);

        var clock = Stopwatch.StartNew();
        await holder.ReleaseSlotAsync("call-1", None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(2));

        await TestContext.Out.WriteLineAsync($"waiter woke {clock.Elapsed.TotalMilliseconds:F1} ms after the release in another process");
        Assert.That((await waiter.TryAcquireSlotAsync("call-2", 1, Lease, None)).Acquired, Is.True);
    }

    [Test]
    public async Task WaitForFreedSlotAsync_ReleaseInSameProcess_CompletesWithoutRedisRoundTrip()
    {
        var capacity = await _redis.NewProcessAsync();
        await capacity.TryAcquireSlotAsync("call-1", 1, Lease, None);
        var waiting = capacity.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);

        await capacity.ReleaseSlotAsync("call-1", None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_NothingReleased_TimesOut()
    {
        var holder = await _redis.NewProcessAsync();
        var waiter = await _redis.NewProcessAsync();
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, None);
        await holder.ReleaseSlotAsync("not-held", None);

        var clock = Stopwatch.StartNew();
        await waiter.WaitForFreedSlotAsync(TimeSpan.FromMilliseconds(300), None);

        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(280), TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_Canceled_Throws()
    {
        var waiter = await _redis.NewProcessAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.That(
            async () => await waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task WaitForFreedSlotAsync_OneReleaseAmongManyWaiters_WakesEveryWaiterInEachProcess()
    {
        var holder = await _redis.NewProcessAsync();
        var waiter = await _redis.NewProcessAsync();
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, None);
        await waiter.WaitForFreedSlotAsync(TimeSpan.Zero, None);
        var oldest = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        var younger = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);

        await holder.ReleaseSlotAsync("call-1", None);

        // The waiting line in Redis decides who gets the slot; every waiter asks it again.
        await oldest.WaitAsync(TimeSpan.FromSeconds(2));
        await younger.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task TryAcquireSlotAsync_WaitingLineAcrossProcesses_FreedSlotGoesToTheHeadNotTheFirstToAsk()
    {
        var holder = await _redis.NewProcessAsync();
        var processA = await _redis.NewProcessAsync();
        var processB = await _redis.NewProcessAsync();
        await holder.TryAcquireSlotAsync("holder", 1, Lease, None);
        Assert.That((await processA.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None)).Acquired, Is.False);
        Assert.That((await processB.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None)).Acquired, Is.False);

        await holder.ReleaseSlotAsync("holder", None);

        Assert.That((await processB.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None)).Acquired, Is.False, "not its turn");
        Assert.That((await holder.TryAcquireSlotAsync("walk-in", 1, Lease, None)).Acquired, Is.False, "no queue jumping");
        Assert.That((await processA.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None)).Acquired, Is.True);
        await processA.LeaveSlotQueueAsync("first", None);
        await processB.LeaveSlotQueueAsync("second", None);
    }

    [Test]
    public async Task TryAcquireSlotAsync_AnyCall_WritesDocumentedKeysWithTtl()
    {
        var capacity = await _redis.NewProcessAsync();
        var db = await _redis.ConnectAsync();

        await capacity.TryAcquireSlotAsync("call-1", 5, Lease, None);

        var leases = await db.SortedSetRangeByRankWithScoresAsync(_redis.Key("slots"));
        Assert.That(leases.Select(lease => (string?)lease.Element), Is.EqualTo(new[] { "call-1" }));
        var expiresIn = DateTimeOffset.FromUnixTimeMilliseconds((long)leases[0].Score) - DateTimeOffset.UtcNow;
        Assert.That(expiresIn, Is.InRange(Lease - TimeSpan.FromSeconds(5), Lease + TimeSpan.FromSeconds(5)), "score = expiry in Redis-time ms");
        Assert.That(await db.KeyTimeToLiveAsync(_redis.Key("slots")), Is.Not.Null);
        await capacity.ReleaseSlotAsync("call-1", None);
        Assert.That(await db.KeyExistsAsync(_redis.Key("slots")), Is.False);
    }

    private static void Max(ref long most, long value)
    {
        var current = Interlocked.Read(ref most);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref most, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
