using static CallQueue.Tests.Safety.CallingHoursSamples;

namespace CallQueue.Tests.Safety;

/// <summary>Time zones: the US DST nights, a number in two zones, a zone without DST, a number in every NANP zone.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingHoursZonesTests
{
    // 2026-03-08: New York springs forward at 02:00 (-05:00 → -04:00); 09:00 is still 09:00 on the wall.
    [TestCase("2026-03-08T08:59:00-04:00", false)]
    [TestCase("2026-03-08T09:00:00-04:00", true)]
    [TestCase("2026-03-08T20:59:00-04:00", true)]
    [TestCase("2026-03-08T21:00:00-04:00", false)]
    // 2026-11-01: back to -05:00 at 02:00.
    [TestCase("2026-11-01T08:59:00-05:00", false)]
    [TestCase("2026-11-01T09:00:00-05:00", true)]
    [TestCase("2026-11-01T20:59:00-05:00", true)]
    [TestCase("2026-11-01T21:00:00-05:00", false)]
    public void Check_NewYorkOnDstNights_EdgesHoldInLocalTime(string now, bool open) =>
        Assert.That(Engine().Check(Callee(NewYork), null, At(now)).IsOpen, Is.EqualTo(open));

    [TestCase("2026-03-07T21:00:00-05:00", "2026-03-08T09:00:00-04:00")]
    [TestCase("2026-10-31T21:00:00-04:00", "2026-11-01T09:00:00-05:00")]
    public void NextOpening_AcrossADstNight_IsNineOnTheWallClock(string from, string opening) =>
        Assert.That(Engine().NextOpening(Callee(NewYork), null, At(from)), Is.EqualTo(At(opening)));

    [Test]
    public void NextOpening_WindowStartSkippedBySpringForward_OpensWhenTheClockJumps()
    {
        // 02:30 does not exist on 2026-03-08 in New York: the first instant after the gap is 03:00 EDT.
        var opening = Engine(hours: "off", legal: "off").NextOpening(Callee(NewYork), Window("02:30", "05:00"), At("2026-03-08T00:00:00-05:00"));

        Assert.That(opening, Is.EqualTo(At("2026-03-08T03:00:00-04:00")));
    }

    [Test]
    public void NextOpening_WindowStartRepeatedByFallBack_OpensAtTheLaterOne()
    {
        // 01:30 happens twice on 2026-11-01 in New York: open at the second (EST), the safe side.
        var opening = Engine(hours: "off", legal: "off").NextOpening(Callee(NewYork), Window("01:30", "05:00"), At("2026-11-01T00:00:00-04:00"));

        Assert.That(opening, Is.EqualTo(At("2026-11-01T01:30:00-05:00")));
    }

    [Test]
    public void Callee_Alaska_HasTwoZones() =>
        Assert.That(Callee(Alaska).ZoneIds, Is.EquivalentTo(new[] { "America/Adak", "America/Anchorage" }));

    // Adak is an hour behind Anchorage: both are inside 09:00–21:00 only from 09:00 Adak to 21:00 Anchorage.
    [TestCase("2026-12-07T18:59:00Z", false)] // 09:59 Anchorage, 08:59 Adak
    [TestCase("2026-12-07T19:00:00Z", true)]  // 10:00 Anchorage, 09:00 Adak
    [TestCase("2026-12-08T05:59:00Z", true)]  // 20:59 Anchorage
    [TestCase("2026-12-08T06:00:00Z", false)] // 21:00 Anchorage, 20:00 Adak
    public void Check_TwoZoneNumber_DialsOnlyWhenBothAreOpen(string now, bool open) =>
        Assert.That(Engine().Check(Callee(Alaska), null, At(now)).IsOpen, Is.EqualTo(open));

    [Test]
    public void Check_TwoZoneNumber_ReasonNamesTheZoneThatOpensLast() =>
        Assert.That(
            Engine().Check(Callee(Alaska), null, At("2026-12-07T18:30:00Z")).Reason,
            Is.EqualTo("Outside calling hours in America/Adak (09:00–21:00): dials from 2026-12-07 09:00 -10:00"));

    [TestCase("2026-01-15T15:59:00Z", "2026-01-15T16:00:00Z")]
    [TestCase("2026-07-15T15:59:00Z", "2026-07-15T16:00:00Z")]
    public void NextOpening_Arizona_NoDstSoNineIsSixteenUtcAllYear(string from, string opening)
    {
        Assert.That(Callee(Phoenix).ZoneIds, Is.EqualTo(new[] { "America/Phoenix" }));
        Assert.That(Engine().NextOpening(Callee(Phoenix), null, At(from)), Is.EqualTo(At(opening)));
    }

    [Test]
    public void Callee_TollFreeNumber_EveryNanpZone() =>
        Assert.That(Callee(TollFree).ZoneIds, Has.Member("Pacific/Guam").And.Member("Pacific/Pago_Pago").And.Member("America/St_Johns"));

    // Toll-free maps to every NANP zone, Guam (+10) to Pago Pago (-11): every one of them is inside 09:00–21:00 only
    // from 09:00 in Guam (23:00Z) to 21:00 in St John's (00:30Z), an hour and a half a day. No special case: the
    // intersection rule already keeps the call inside everyone's hours; give call_config.timezone for a real window.
    [TestCase("2026-12-07T22:59:00Z", false)]
    [TestCase("2026-12-07T23:00:00Z", true)]
    [TestCase("2026-12-08T00:29:00Z", true)]
    [TestCase("2026-12-08T00:30:00Z", false)]
    public void Check_TollFreeNumber_OpenOnlyWhileEveryNanpZoneIs(string now, bool open) =>
        Assert.That(Engine().Check(Callee(TollFree), null, At(now)).IsOpen, Is.EqualTo(open));

    [Test]
    public void Check_TollFreeNumber_ReasonNamesGuam() =>
        Assert.That(
            Engine().Check(Callee(TollFree), null, At("2026-12-07T18:00:00Z")).Reason,
            Is.EqualTo("Outside calling hours in Pacific/Guam (09:00–21:00): dials from 2026-12-08 09:00 +10:00"));

    [Test]
    public void Check_TollFreeWithOverride_DialsByTheGivenZone() =>
        Assert.That(Engine().Check(Callee(TollFree, "America/Chicago"), null, At("2026-12-07T12:00:00-06:00")).IsOpen, Is.True);
}
