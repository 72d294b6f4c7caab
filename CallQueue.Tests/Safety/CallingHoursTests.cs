using Microsoft.Extensions.Time.Testing;
using static CallQueue.Tests.Safety.CallingHoursSamples;

namespace CallQueue.Tests.Safety;

/// <summary>The decision at fixed instants: window edges to the minute, odd offsets, the reason's words.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingHoursTests
{
    [TestCase("2026-12-07T08:59:00+05:30", false)]
    [TestCase("2026-12-07T09:00:00+05:30", true)]
    [TestCase("2026-12-07T20:59:00+05:30", true)]
    [TestCase("2026-12-07T21:00:00+05:30", false)]
    public void Check_IndiaAroundTheEdges_OpenFromNineUntilBeforeNine(string now, bool open) =>
        Assert.That(Engine().Check(Callee(IndianMobile), null, At(now)).IsOpen, Is.EqualTo(open));

    [Test]
    public void Check_IndiaAtThreeInTheMorning_ReasonNamesZoneWindowAndLocalOpening()
    {
        var decision = Engine().Check(Callee(IndianMobile), null, At("2026-12-07T03:00:00+05:30"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.IsOpen, Is.False);
            Assert.That(decision.OpensAt, Is.EqualTo(At("2026-12-07T09:00:00+05:30")));
            Assert.That(decision.Reason, Is.EqualTo("Outside calling hours in Asia/Kolkata (09:00–21:00): dials from 2026-12-07 09:00 +05:30"));
        });
    }

    [Test]
    public void Check_IndiaAtNine_OpensTheNextMorning() =>
        Assert.That(Engine().Check(Callee(IndianMobile), null, At("2026-12-07T21:00:00+05:30")).OpensAt, Is.EqualTo(At("2026-12-08T09:00:00+05:30")));

    [TestCase("2026-12-07T08:59:00+05:45", false)]
    [TestCase("2026-12-07T09:00:00+05:45", true)]
    [TestCase("2026-12-07T20:59:00+05:45", true)]
    [TestCase("2026-12-07T21:00:00+05:45", false)]
    public void Check_KathmanduOverride_EdgesOnTheQuarterHourOffset(string now, bool open) =>
        Assert.That(Engine().Check(Callee(IndianMobile, "Asia/Kathmandu"), null, At(now)).IsOpen, Is.EqualTo(open));

    [Test]
    public void Check_KathmanduOverride_ReasonInKathmanduTime() =>
        Assert.That(
            Engine().Check(Callee(IndianMobile, "Asia/Kathmandu"), null, At("2026-12-07T08:00:00+05:45")).Reason,
            Is.EqualTo("Outside calling hours in Asia/Kathmandu (09:00–21:00): dials from 2026-12-07 09:00 +05:45"));

    [Test]
    public void CheckNow_ReadsTheTimeProvider()
    {
        var clock = new FakeTimeProvider(At("2026-12-07T08:59:00+05:30"));
        var engine = Engine(timeProvider: clock);

        var before = engine.CheckNow(Callee(IndianMobile));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(before.IsOpen, Is.False);
            Assert.That(engine.CheckNow(Callee(IndianMobile)).IsOpen, Is.True);
        });
    }

    [Test]
    public void Check_RestrictedDate_SkipsToTheNextDay()
    {
        var decision = Engine(restrictedDates: "2026-12-07").Check(Callee(IndianMobile), null, At("2026-12-07T10:00:00+05:30"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.IsOpen, Is.False);
            Assert.That(decision.Reason, Is.EqualTo("Outside calling hours in Asia/Kolkata (09:00–21:00): dials from 2026-12-08 09:00 +05:30"));
        });
    }

    [Test]
    public void Check_RestrictedDateIsCalleeLocal_NotUtc()
    {
        // 2026-12-06T20:00Z is already 2026-12-07 01:30 in Kolkata: the restricted day there.
        var decision = Engine(restrictedDates: "2026-12-07").Check(Callee(IndianMobile), null, At("2026-12-06T20:00:00Z"));

        Assert.That(decision.OpensAt, Is.EqualTo(At("2026-12-08T09:00:00+05:30")));
    }

    [Test]
    public void Check_EveryDayRestrictedForTwoWeeks_ClosedWithNoOpening()
    {
        var dates = string.Join(',', Enumerable.Range(0, 16).Select(day => new DateOnly(2026, 12, 7).AddDays(day).ToString("yyyy-MM-dd")));

        var decision = Engine(restrictedDates: dates).Check(Callee(IndianMobile), null, At("2026-12-07T10:00:00+05:30"));

        Assert.Multiple(() =>
        {
            Assert.That(decision.IsOpen, Is.False);
            Assert.That(decision.OpensAt, Is.Null);
            Assert.That(decision.Reason, Is.EqualTo("Outside calling hours in Asia/Kolkata (09:00–21:00): no opening within 14 days"));
        });
    }

    [Test]
    public void Check_CallingDaysWeekdays_SaturdayWaitsForMonday() =>
        Assert.That(
            Engine(days: "mon-fri").Check(Callee(IndianMobile), null, At("2026-12-12T10:00:00+05:30")).Reason,
            Is.EqualTo("Outside calling hours in Asia/Kolkata (09:00–21:00 Mon–Fri): dials from 2026-12-14 09:00 +05:30"));
}
