using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Throttling;

/// <summary>
/// What every <see cref="ICallCapacity"/> does, run against both twins by a subclass each (<see cref="RedisCallCapacityTests"/>,
/// <see cref="InMemoryCallCapacityTests"/>). Callers are "processes": on Redis each is an instance with its own
/// connection on the same keys; in memory there is one instance, which is all a process has. Leases and rate run on
/// the store's clock (Redis TIME: real time; in memory: <see cref="Clock"/>); the waits' timeouts run on <see cref="Clock"/>
/// in both. Slots are here, waits in <c>CallCapacityContract.Wait.cs</c>, the rate in <c>CallCapacityContract.Rate.cs</c>.
/// </summary>
public abstract partial class CallCapacityContract
{
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    protected static readonly TimeSpan ShortLease = TimeSpan.FromMilliseconds(200);
    protected static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The queue order of a caller that does not join the waiting line.</summary>
    protected const double NoQueue = double.NaN;

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Clock { get; private set; } = null!;

    /// <summary>The first process's capacity.</summary>
    protected ICallCapacity Capacity { get; private set; } = null!;

    /// <summary>Starts a new, empty capacity whose timers run on <paramref name="clock"/>.</summary>
    protected abstract Task StartAsync(FakeTimeProvider clock);

    /// <summary>The capacity as one more process sees it.</summary>
    protected abstract Task<ICallCapacity> NewProcessAsync();

    /// <summary>Lets at least <paramref name="time"/> pass on the capacity's clocks (on Redis: sleeps, Redis TIME is real).</summary>
    protected abstract Task LetTimePassAsync(TimeSpan time);

    [SetUp]
    public async Task SetUpCapacityAsync()
    {
        Clock = new FakeTimeProvider(Start);
        await StartAsync(Clock);
        Capacity = await NewProcessAsync();
    }

    [Test]
    public async Task TryAcquireSlotAsync_32CallersInSeparateProcesses_NeverMoreThanMaxActive()
    {
        const int MaxSlots = 10;
        const int Callers = 32;
        var capacities = await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => NewProcessAsync()));
        var sampler = await NewProcessAsync();
        long holding = 0, mostHolding = 0, mostReported = 0, acquired = 0, refused = 0, mostSampled = 0, samples = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Max(ref mostSampled, await sampler.CountSlotsAsync(None));
                samples++;
                await Task.Delay(1); // in memory the count is synchronous: a tight loop would crowd the callers out
            }
        });
        var callers = capacities.Select((capacity, caller) => Task.Run(async () =>
        {
            for (var call = 0; !stop.IsCancellationRequested; call++)
            {
                var callId = $"call-{caller}-{call}";
                var result = await capacity.TryAcquireSlotAsync(callId, MaxSlots, Lease, NoQueue, None);
                Max(ref mostReported, result.Active);
                if (!result.Acquired)
                {
                    Interlocked.Increment(ref refused);
                    await PollForFreedSlotAsync(capacity, stop.Token);
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
            + $"most held at once {mostHolding}, most counted over {samples} samples {mostSampled}");
        Assert.That(acquired, Is.GreaterThan(100));
        Assert.That(refused, Is.GreaterThan(0), "the callers never contended");
        Assert.That(mostReported, Is.EqualTo(MaxSlots));
        Assert.That(mostHolding, Is.LessThanOrEqualTo(MaxSlots));
        Assert.That(mostSampled, Is.InRange(1, MaxSlots));
        Assert.That(await capacities[0].CountSlotsAsync(None), Is.Zero);
    }

    [Test]
    public async Task TryAcquireSlotAsync_SameCallTwice_HoldsOneSlot()
    {
        var first = await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        var again = await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        var other = await Capacity.TryAcquireSlotAsync("call-2", 1, Lease, NoQueue, None);

        Assert.That(first, Is.EqualTo(new SlotResult(true, 1)));
        Assert.That(again, Is.EqualTo(new SlotResult(true, 1)));
        Assert.That(other, Is.EqualTo(new SlotResult(false, 1)));
        Assert.That(await Capacity.CountSlotsAsync(None), Is.EqualTo(1));
    }

    [TestCase("", 1, 1000)]
    [TestCase("call-1", 0, 1000)]
    [TestCase("call-1", 1, 0.5)]
    public void TryAcquireSlotAsync_InvalidArguments_Throws(string callId, int maxSlots, double leaseMilliseconds) =>
        Assert.That(
            async () => await Capacity.TryAcquireSlotAsync(callId, maxSlots, TimeSpan.FromMilliseconds(leaseMilliseconds), NoQueue, None),
            Throws.InstanceOf<ArgumentException>());

    [Test]
    public async Task TryAcquireSlotAsync_Canceled_ThrowsWithoutTakingASlot()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        Assert.That(
            async () => await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(await Capacity.CountSlotsAsync(None), Is.Zero);
    }

    [Test]
    public async Task TryAcquireSlotAsync_SameCallAgain_LeaseRunsFromTheRenewal()
    {
        var lease = TimeSpan.FromSeconds(1);
        await Capacity.TryAcquireSlotAsync("call-1", 1, lease, NoQueue, None);
        await LetTimePassAsync(0.6 * lease);

        await Capacity.TryAcquireSlotAsync("call-1", 1, lease, NoQueue, None);
        await LetTimePassAsync(0.6 * lease);

        Assert.That(await Capacity.CountSlotsAsync(None), Is.EqualTo(1), "past the first lease, within the renewed one");
        await LetTimePassAsync(0.4 * lease);
        Assert.That(await Capacity.CountSlotsAsync(None), Is.Zero, "one lease after the renewal");
    }

    [Test]
    public async Task ReleaseSlotAsync_Twice_NoErrorAndNoNegativeCount()
    {
        await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);

        await Capacity.ReleaseSlotAsync("call-1", None);
        await Capacity.ReleaseSlotAsync("call-1", None);
        await Capacity.ReleaseSlotAsync("never-acquired", None);

        Assert.That(await Capacity.CountSlotsAsync(None), Is.Zero);
        Assert.That(await Capacity.TryAcquireSlotAsync("call-2", 1, Lease, NoQueue, None), Is.EqualTo(new SlotResult(true, 1)));
    }

    [Test]
    public async Task TryAcquireSlotAsync_AtCapAfterLeasesExpire_ReclaimsThemAndSucceeds()
    {
        await Capacity.TryAcquireSlotAsync("call-1", 2, ShortLease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("call-2", 2, Lease, NoQueue, None);
        Assert.That((await Capacity.TryAcquireSlotAsync("call-3", 2, Lease, NoQueue, None)).Acquired, Is.False);

        await LetTimePassAsync(ShortLease);

        Assert.That(await Capacity.CountSlotsAsync(None), Is.EqualTo(1), "live leases only, before any sweep");
        Assert.That(await Capacity.TryAcquireSlotAsync("call-3", 2, Lease, NoQueue, None), Is.EqualTo(new SlotResult(true, 2)));
    }

    [Test]
    public async Task TryAcquireSlotAsync_WaitingLine_FreedSlotGoesToTheHeadNotTheFirstToAsk()
    {
        var (holder, processA, processB) = (Capacity, await NewProcessAsync(), await NewProcessAsync());
        await holder.TryAcquireSlotAsync("holder", 1, Lease, NoQueue, None);
        Assert.That((await processA.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None)).Acquired, Is.False);
        Assert.That((await processB.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None)).Acquired, Is.False);

        await holder.ReleaseSlotAsync("holder", None);

        Assert.That((await processB.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None)).Acquired, Is.False, "not its turn");
        Assert.That((await holder.TryAcquireSlotAsync("walk-in", 1, Lease, NoQueue, None)).Acquired, Is.False, "no queue jumping");
        Assert.That((await processA.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None)).Acquired, Is.True);
        await processA.LeaveSlotQueueAsync("first", None);
        await processB.LeaveSlotQueueAsync("second", None);
    }

    [Test]
    public async Task TryAcquireSlotAsync_SameQueueOrder_TiesGoByCallId()
    {
        await Capacity.TryAcquireSlotAsync("holder", 1, Lease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("call-b", 1, Lease, queueOrder: 1, None);
        await Capacity.TryAcquireSlotAsync("call-a", 1, Lease, queueOrder: 1, None);

        await Capacity.ReleaseSlotAsync("holder", None);

        Assert.That((await Capacity.TryAcquireSlotAsync("call-b", 1, Lease, queueOrder: 1, None)).Acquired, Is.False);
        Assert.That((await Capacity.TryAcquireSlotAsync("call-a", 1, Lease, queueOrder: 1, None)).Acquired, Is.True);
    }

    [Test]
    public async Task TryAcquireSlotAsync_AskingAgainWithAnotherOrder_KeepsItsPlace()
    {
        await Capacity.TryAcquireSlotAsync("holder", 1, Lease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None);
        await Capacity.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None);
        await Capacity.ReleaseSlotAsync("holder", None);

        Assert.That((await Capacity.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 0, None)).Acquired, Is.False);
        Assert.That((await Capacity.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None)).Acquired, Is.True);
    }

    [Test]
    public async Task LeaveSlotQueueAsync_HeadOfLineLeaves_NextTakesTheFreeSlot()
    {
        await Capacity.TryAcquireSlotAsync("holder", 1, Lease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("first", 1, Lease, queueOrder: 1, None);
        await Capacity.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None);
        await Capacity.ReleaseSlotAsync("holder", None);

        await Capacity.LeaveSlotQueueAsync("first", None);
        await Capacity.LeaveSlotQueueAsync("first", None);

        Assert.That((await Capacity.TryAcquireSlotAsync("second", 1, Lease, queueOrder: 2, None)).Acquired, Is.True);
    }

    /// <summary>On Redis this waits the real <see cref="ICallCapacity.WaiterLifetime"/> (15 s).</summary>
    [Test]
    public async Task TryAcquireSlotAsync_HeadOfLineStopsAsking_ItsPlaceLapses()
    {
        await Capacity.TryAcquireSlotAsync("holder", 1, Lease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("gone", 1, Lease, queueOrder: 1, None);
        await Capacity.TryAcquireSlotAsync("next", 1, Lease, queueOrder: 2, None);
        await Capacity.ReleaseSlotAsync("holder", None);

        await LetTimePassAsync(ICallCapacity.WaiterLifetime + TimeSpan.FromMilliseconds(1));

        Assert.That((await Capacity.TryAcquireSlotAsync("next", 1, Lease, queueOrder: 2, None)).Acquired, Is.True);
    }

    // A real-time poll: the wait's own timeout runs on the fake clock, which nobody moves while the callers run.
    private static async Task PollForFreedSlotAsync(ICallCapacity capacity, CancellationToken stop)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stop);
        poll.CancelAfter(TimeSpan.FromMilliseconds(100));
        try
        {
            await capacity.WaitForFreedSlotAsync(TimeSpan.FromMinutes(1), poll.Token);
        }
        catch (OperationCanceledException)
        {
            // Nothing freed within the poll: ask again.
        }
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
