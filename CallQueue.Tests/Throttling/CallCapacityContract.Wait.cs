using System.Diagnostics;
using CallQueue.Jobs.Throttling;

namespace CallQueue.Tests.Throttling;

/// <summary><see cref="ICallCapacity.WaitForFreedSlotAsync"/>: who is woken by what, the timeout and cancellation.</summary>
public abstract partial class CallCapacityContract
{
    [Test]
    public async Task TryAcquireSlotAsync_ReclaimingExpiredLeases_WakesWaiterInAnotherProcess()
    {
        var other = await NewProcessAsync();
        await Capacity.TryAcquireSlotAsync("call-1", 2, ShortLease, NoQueue, None);
        await Capacity.TryAcquireSlotAsync("call-2", 2, ShortLease, NoQueue, None);
        await other.WaitForFreedSlotAsync(TimeSpan.Zero, None); // on Redis: subscribed from here on
        var waiting = other.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        await LetTimePassAsync(ShortLease);
        Assert.That(waiting.IsCompleted, Is.False, "expiry alone announces nothing");

        var clock = Stopwatch.StartNew();
        var result = await Capacity.TryAcquireSlotAsync("call-3", 2, Lease, NoQueue, None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(2));

        await TestContext.Out.WriteLineAsync($"waiter woke {clock.Elapsed.TotalMilliseconds:F1} ms after the reclaiming acquire");
        Assert.That(result, Is.EqualTo(new SlotResult(true, 1)));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_ReleaseInAnotherProcess_CompletesSoon()
    {
        var (holder, waiter) = (Capacity, await NewProcessAsync());
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        await waiter.WaitForFreedSlotAsync(TimeSpan.Zero, None);
        var waiting = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        await Task.Delay(50);
        Assert.That(waiting.IsCompleted, Is.False);

        var clock = Stopwatch.StartNew();
        await holder.ReleaseSlotAsync("call-1", None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(2));

        await TestContext.Out.WriteLineAsync($"waiter woke {clock.Elapsed.TotalMilliseconds:F1} ms after the release in another process");
        Assert.That((await waiter.TryAcquireSlotAsync("call-2", 1, Lease, NoQueue, None)).Acquired, Is.True);
    }

    [Test]
    public async Task WaitForFreedSlotAsync_ReleaseInSameProcess_CompletesWithoutARoundTrip()
    {
        await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        var waiting = Capacity.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);

        await Capacity.ReleaseSlotAsync("call-1", None);

        await waiting.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_OneReleaseAmongManyWaiters_WakesEveryWaiterToAskTheLineAgain()
    {
        var (holder, waiter) = (Capacity, await NewProcessAsync());
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        await waiter.WaitForFreedSlotAsync(TimeSpan.Zero, None);
        var oldest = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);
        var younger = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);

        await holder.ReleaseSlotAsync("call-1", None);

        // The waiting line, not the order of the local waits, decides who gets the slot: every waiter asks it again.
        await oldest.WaitAsync(TimeSpan.FromSeconds(2));
        await younger.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Test]
    public async Task WaitForFreedSlotAsync_NothingReleased_TimesOut()
    {
        var (holder, waiter) = (Capacity, await NewProcessAsync());
        await holder.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        await holder.ReleaseSlotAsync("not-held", None);
        var waiting = waiter.WaitForFreedSlotAsync(TimeSpan.FromSeconds(5), None);

        // The timeout runs on Clock in both twins, so it is moved directly (no sleeping on Redis).
        Clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.That(waiting.IsCompleted, Is.False);
        Clock.Advance(TimeSpan.FromSeconds(0.1));

        await waiting.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Test]
    public void WaitForFreedSlotAsync_Canceled_Throws()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        Assert.That(
            async () => await Capacity.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), cancel.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task WaitForFreedSlotAsync_WokenWaiterAlreadyCanceled_PassesWakeUpOn()
    {
        using var cancel = new CancellationTokenSource();
        await Capacity.TryAcquireSlotAsync("call-1", 1, Lease, NoQueue, None);
        var canceled = Capacity.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), cancel.Token);
        var next = Capacity.WaitForFreedSlotAsync(TimeSpan.FromSeconds(10), None);

        await cancel.CancelAsync();
        await Capacity.ReleaseSlotAsync("call-1", None);

        Assert.That(async () => await canceled, Throws.InstanceOf<OperationCanceledException>());
        await next.WaitAsync(TimeSpan.FromSeconds(2));
    }
}
