using static CallQueue.Tests.Safety.CallingHoursSamples;

namespace CallQueue.Tests.Safety;

/// <summary>The next opening at or after an instant: where a retry goes, and "never before the deadline".</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingHoursRetryTests
{
    [Test]
    public void NextOpening_RetryInsideTheWindow_StaysWhereItIs() =>
        Assert.That(Engine().NextOpening(Callee(IndianMobile), null, At("2026-12-07T20:55:00+05:30")), Is.EqualTo(At("2026-12-07T20:55:00+05:30")));

    [Test]
    public void NextOpening_RetryFallingAfterTheWindow_MovesToTheNextMorning()
    {
        // A call that failed at 20:50 with a 30-minute retry delay would retry at 21:20: closed.
        var retryAt = At("2026-12-07T20:50:00+05:30").AddMinutes(30);

        Assert.That(Engine().NextOpening(Callee(IndianMobile), null, retryAt), Is.EqualTo(At("2026-12-08T09:00:00+05:30")));
    }

    [Test]
    public void NextOpening_DeadlineBeforeTheOpening_IsNull() =>
        Assert.That(
            Engine().NextOpening(Callee(IndianMobile), null, At("2026-12-07T22:00:00+05:30"), notAfter: At("2026-12-08T08:00:00+05:30")),
            Is.Null);

    [Test]
    public void NextOpening_DeadlineAtTheOpening_IsTheOpening() =>
        Assert.That(
            Engine().NextOpening(Callee(IndianMobile), null, At("2026-12-07T22:00:00+05:30"), notAfter: At("2026-12-08T09:00:00+05:30")),
            Is.EqualTo(At("2026-12-08T09:00:00+05:30")));

    [Test]
    public void NextOpening_OnlyRestrictedDatesWithinTheHorizon_IsNull()
    {
        var dates = string.Join(',', Enumerable.Range(-1, 17).Select(day => new DateOnly(2026, 12, 7).AddDays(day).ToString("yyyy-MM-dd")));

        Assert.That(Engine(restrictedDates: dates).NextOpening(Callee(IndianMobile), null, At("2026-12-07T10:00:00+05:30")), Is.Null);
    }
}
