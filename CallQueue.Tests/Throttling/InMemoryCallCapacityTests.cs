using System.Collections.Concurrent;
using System.Diagnostics;
using CallQueue.Jobs.Throttling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallQueue.Tests.Throttling;

/// <summary>
/// The <see cref="CallCapacityContract"/> on <see cref="InMemoryCallCapacity"/> (one instance: every "process" of the
/// contract is this one), and what only a clock under the test's control can check: the GCRA to the microsecond.
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable]
public sealed class InMemoryCallCapacityTests : CallCapacityContract
{
    private InMemoryCallCapacity _capacity = null!;

    protected override Task StartAsync(FakeTimeProvider clock)
    {
        _capacity = new InMemoryCallCapacity(clock, NullLogger.Instance);
        return Task.CompletedTask;
    }

    protected override Task<ICallCapacity> NewProcessAsync() => Task.FromResult<ICallCapacity>(_capacity);

    protected override Task LetTimePassAsync(TimeSpan time)
    {
        Clock.Advance(time);
        return Task.CompletedTask;
    }

    [Test]
    public async Task TryTakeRateTokenAsync_HalfAMillisecondBeforeItsTurn_WaitsOneMillisecond()
    {
        await _capacity.TryTakeRateTokenAsync(5, None);

        // T' = 200 ms × 1.06 = 212 ms.
        Assert.That(await _capacity.TryTakeRateTokenAsync(5, None), Is.EqualTo(TimeSpan.FromMilliseconds(212)));
        Clock.Advance(TimeSpan.FromMilliseconds(211.5));
        Assert.That(await _capacity.TryTakeRateTokenAsync(5, None), Is.EqualTo(TimeSpan.FromMilliseconds(1)));
        Clock.Advance(TimeSpan.FromMilliseconds(0.5));
        Assert.That(await _capacity.TryTakeRateTokenAsync(5, None), Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public async Task TryTakeRateTokenAsync_CallersWakingUpToTwoMsLate_NoSecondOverRateAndRateAchieved([Values(5, 50)] int perSecond)
    {
        var random = new Random(perSecond);
        var nextAsk = new TimeSpan[4];
        var now = TimeSpan.Zero;
        var granted = new List<TimeSpan>();
        while (now < TimeSpan.FromSeconds(6))
        {
            var caller = Array.IndexOf(nextAsk, nextAsk.Min());
            Clock.Advance(nextAsk[caller] - now);
            now = nextAsk[caller];
            var wait = await _capacity.TryTakeRateTokenAsync(perSecond, None);
            if (wait == TimeSpan.Zero)
            {
                granted.Add(now);
            }

            nextAsk[caller] = now + wait + TimeSpan.FromMicroseconds(100 + random.Next(2_000));
        }

        var timeline = new GrantTimeline(granted);
        await TestContext.Out.WriteLineAsync(timeline.Describe($"fake time, {perSecond}/s", perSecond));
        Assert.That(timeline.MaxInAnySecond(), Is.LessThanOrEqualTo(perSecond));
        Assert.That(timeline.ShortestSpanOf(perSecond), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1055)));
        Assert.That(timeline.AchievedRate, Is.GreaterThanOrEqualTo(0.93 * perSecond));
    }

    [Test]
    public async Task TryTakeRateTokenAsync_FourTasksInRealTime_NoSecondOverRate()
    {
        const int PerSecond = 50;
        var capacity = new InMemoryCallCapacity(TimeProvider.System, NullLogger.Instance);
        var granted = new ConcurrentQueue<TimeSpan>();
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                var wait = await capacity.TryTakeRateTokenAsync(PerSecond, None);
                if (wait == TimeSpan.Zero)
                {
                    granted.Enqueue(clock.Elapsed);
                }
                else
                {
                    await Task.Delay(wait);
                }
            }
        })));

        var timeline = new GrantTimeline(granted);
        await TestContext.Out.WriteLineAsync(timeline.Describe($"real time, {PerSecond}/s", PerSecond));
        Assert.That(timeline.MaxInAnySecond(), Is.LessThanOrEqualTo(PerSecond));
        // The achieved rate in real time is a figure (printed above; docs/benchmarks.md), not a timed assertion.
    }

    [Test]
    public async Task CountGrantsAsync_OlderThanWindow_NotCounted()
    {
        await _capacity.TryTakeRateTokenAsync(100, None);
        Clock.Advance(TimeSpan.FromSeconds(30));
        await _capacity.TryTakeRateTokenAsync(100, None);
        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.That(await _capacity.CountGrantsAsync(TimeSpan.FromSeconds(45), None), Is.EqualTo(1));
        Assert.That(await _capacity.CountGrantsAsync(TimeSpan.FromSeconds(60), None), Is.EqualTo(1), "exactly 60 s old is out");
    }
}
