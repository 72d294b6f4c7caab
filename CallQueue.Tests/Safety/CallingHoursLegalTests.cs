using CallQueue.Jobs.Safety;
using static CallQueue.Tests.Safety.CallingHoursSamples;

namespace CallQueue.Tests.Safety;

/// <summary>The law's hours narrow the deployment's; a call's own window narrows both; "off" switches.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallingHoursLegalTests
{
    private const string Kentucky = "+18592579000";
    private const string Alabama = "+12059344011";

    [Test]
    public void Check_FloridaAtEightPm_ClosedWhileFederalStatesAreOpen()
    {
        var engine = Engine(hours: "off");

        Assert.Multiple(() =>
        {
            Assert.That(engine.Check(Callee(Tallahassee), null, At("2026-12-07T19:59:00-05:00")).IsOpen, Is.True);
            Assert.That(engine.Check(Callee(Tallahassee), null, At("2026-12-07T20:00:00-05:00")).IsOpen, Is.False);
            Assert.That(engine.Check(Callee(NewYork), null, At("2026-12-07T20:00:00-05:00")).IsOpen, Is.True);
            Assert.That(engine.Check(Callee(NewYork), null, At("2026-12-07T21:00:00-05:00")).IsOpen, Is.False);
        });
    }

    [Test]
    public void Check_FloridaWithDefaultHours_ReasonShowsTheNarrowedWindow() =>
        Assert.That(
            Engine().Check(Callee(Tallahassee), null, At("2026-12-07T20:30:00-05:00")).Reason,
            Is.EqualTo("Outside calling hours in America/New_York (09:00–20:00): dials from 2026-12-08 09:00 -05:00"));

    [TestCase("2026-12-07T09:59:00-05:00", false)]
    [TestCase("2026-12-07T10:00:00-05:00", true)]
    public void Check_Kentucky_OpensAtTen(string now, bool open) =>
        Assert.That(Engine(hours: "off").Check(Callee(Kentucky), null, At(now)).IsOpen, Is.EqualTo(open));

    [Test]
    public void Check_AlabamaOnSunday_WaitsForMonday()
    {
        var decision = Engine().Check(Callee(Alabama), null, At("2026-12-06T12:00:00-06:00"));

        Assert.That(decision.Reason, Is.EqualTo("Outside calling hours in America/Chicago (09:00–20:00 Mon–Sat): dials from 2026-12-07 09:00 -06:00"));
    }

    [Test]
    public void Check_CallingHoursOff_LegalHoursStillApply()
    {
        var engine = Engine(hours: "off");

        Assert.Multiple(() =>
        {
            Assert.That(engine.Check(Callee(IndianMobile), null, At("2026-12-07T08:30:00+05:30")).IsOpen, Is.False);
            Assert.That(engine.Check(Callee(NewYork), null, At("2026-12-07T08:30:00-05:00")).IsOpen, Is.True);
            Assert.That(Engine().Check(Callee(NewYork), null, At("2026-12-07T08:30:00-05:00")).IsOpen, Is.False);
        });
    }

    [Test]
    public void Check_CallingHoursAndLegalHoursOff_OpenAtThreeInTheMorning() =>
        Assert.That(Engine(hours: "off", legal: "off").Check(Callee(IndianMobile), null, At("2026-12-07T03:00:00+05:30")).IsOpen, Is.True);

    [Test]
    public void Check_LegalHoursOffAlone_DeploymentHoursStillApply() =>
        Assert.That(Engine(hours: "07:00-22:00", legal: "off").Check(Callee(Tallahassee), null, At("2026-12-07T21:30:00-05:00")).IsOpen, Is.True);

    [Test]
    public void Check_CallWindow_NarrowsTheDeploymentsHours()
    {
        var weekdaysTenToSix = Window("10:00", "18:00", "mon", "tue", "wed", "thu", "fri");
        var engine = Engine();

        Assert.Multiple(() =>
        {
            Assert.That(engine.Check(Callee(IndianMobile), weekdaysTenToSix, At("2026-12-07T09:30:00+05:30")).OpensAt, Is.EqualTo(At("2026-12-07T10:00:00+05:30")));
            Assert.That(engine.Check(Callee(IndianMobile), weekdaysTenToSix, At("2026-12-07T17:59:00+05:30")).IsOpen, Is.True);
            Assert.That(
                engine.Check(Callee(IndianMobile), weekdaysTenToSix, At("2026-12-11T18:00:00+05:30")).Reason,
                Is.EqualTo("Outside calling hours in Asia/Kolkata (10:00–18:00 Mon–Fri): dials from 2026-12-14 10:00 +05:30"));
        });
    }

    [Test]
    public void Check_CallWindowWiderThanTheLaw_NeverWidens()
    {
        var wide = Window("00:00", "24:00");

        Assert.Multiple(() =>
        {
            Assert.That(Engine().Check(Callee(IndianMobile), wide, At("2026-12-07T08:00:00+05:30")).IsOpen, Is.False);
            Assert.That(Engine(hours: "off").Check(Callee(IndianMobile), wide, At("2026-12-07T21:30:00+05:30")).IsOpen, Is.False);
            Assert.That(Engine().EffectiveWindow(new CalleePlace("IN"), wide).ToString(), Is.EqualTo("09:00–21:00"));
        });
    }

    [Test]
    public void Check_CallWindowOutsideTheLaw_NoOpening() =>
        Assert.That(Engine().Check(Callee(IndianMobile), Window("22:00", "23:00"), At("2026-12-07T10:00:00+05:30")).OpensAt, Is.Null);
}
