using CallQueue.Jobs.Throttling;

namespace CallQueue.Tests.Throttling;

/// <summary><see cref="ICallCapacity.TryTakeRateTokenAsync"/> and <see cref="ICallCapacity.CountGrantsAsync"/>.</summary>
public abstract partial class CallCapacityContract
{
    [Test]
    public async Task TryTakeRateTokenAsync_RightAfterGrant_WaitsOneIntervalRoundedUpAndConsumesNothing()
    {
        var first = await Capacity.TryTakeRateTokenAsync(5, None);
        var second = await Capacity.TryTakeRateTokenAsync(5, None);

        Assert.That(first, Is.EqualTo(TimeSpan.Zero));
        Assert.That(second, Is.InRange(TimeSpan.FromMilliseconds(160), TimeSpan.FromMilliseconds(212)), "T' = 200 ms × 1.06, less the time since the grant");
        Assert.That(second.Ticks % TimeSpan.TicksPerMillisecond, Is.Zero, "rounded up to whole ms");
        Assert.That(await Capacity.CountGrantsAsync(TimeSpan.FromSeconds(10), None), Is.EqualTo(1), "a refusal consumes nothing");

        await LetTimePassAsync(second);

        Assert.That(await Capacity.TryTakeRateTokenAsync(5, None), Is.EqualTo(TimeSpan.Zero), "granted once the wait is over");
        Assert.That(await Capacity.CountGrantsAsync(TimeSpan.FromSeconds(60), None), Is.EqualTo(2));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void TryTakeRateTokenAsync_NotAPositiveRate_Throws(double perSecond) =>
        Assert.That(async () => await Capacity.TryTakeRateTokenAsync(perSecond, None), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [TestCase(0)]
    [TestCase(61)]
    public void CountGrantsAsync_WindowNotWithinTheRetention_Throws(int seconds) =>
        Assert.That(async () => await Capacity.CountGrantsAsync(TimeSpan.FromSeconds(seconds), None), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
