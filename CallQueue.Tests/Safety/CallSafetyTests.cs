using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Safety;

namespace CallQueue.Tests.Safety;

/// <summary><see cref="CallSafety"/> on call records: deadlines, windows, retries placed in the hours, the law's per-campaign cap.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallSafetyTests
{
    // Monday 2026-12-07 10:00 UTC = 15:30 in India.
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly CallSafety Safety = new(new CallingHours(CallingHoursPolicy.Default, TimeProvider.System));

    [Test]
    public void Check_InsideTheHours_LetsItDial() => Assert.That(Safety.Check(Call("+919876543210"), Now), Is.Null);

    [Test]
    public void Check_ItsOwnWindowClosed_HoldsUntilItOpensTomorrow()
    {
        var call = Call("+919876543210") with { Config = Config(window: new CallWindow { Start = "10:00", End = "12:00" }) };

        var verdict = Safety.Check(call, Now);

        Assert.Multiple(() =>
        {
            Assert.That(verdict!.Rule, Is.EqualTo(SafetyRule.CallingHours));
            Assert.That(verdict.Until, Is.EqualTo(new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.FromHours(5.5))));
            Assert.That(verdict.Reason, Is.EqualTo("Outside calling hours in Asia/Kolkata (10:00–12:00): dials from 2026-12-08 10:00 +05:30"), "the call's window narrows the deployment's");
        });
    }

    [Test]
    public void Check_WindowOpensOnlyAfterTheDeadline_HoldsUntilTheDeadlineThenExpires()
    {
        var deadline = Now.AddHours(2);
        var call = Call("+919876543210") with { ExpiresAt = deadline, Config = Config(window: new CallWindow { Start = "10:00", End = "12:00" }) };

        var held = Safety.Check(call, Now);
        var atDeadline = Safety.Check(call, deadline);

        Assert.Multiple(() =>
        {
            Assert.That(held!.Until, Is.EqualTo(deadline));
            Assert.That(held.FinalStatus, Is.Null);
            Assert.That(atDeadline!.FinalStatus, Is.EqualTo(CallStatus.Expired));
            Assert.That(atDeadline.Rule, Is.EqualTo(SafetyRule.Deadline));
        });
    }

    [Test]
    public void Check_WindowOnDaysTheDeploymentNeverCalls_FailsForAPerson()
    {
        var weekdays = new CallSafety(new CallingHours(CallingHoursPolicy.From(new CallingHoursOptions { CallingDays = "mon-fri" }), TimeProvider.System));
        var call = Call("+919876543210") with { Config = Config(window: new CallWindow { Start = "10:00", End = "12:00", Days = ["sat", "sun"] }) };

        var verdict = weekdays.Check(call, Now);

        Assert.Multiple(() =>
        {
            Assert.That(verdict!.FinalStatus, Is.EqualTo(CallStatus.Failed));
            Assert.That(verdict.Reason, Does.StartWith("Not dialed: Outside calling hours in Asia/Kolkata").And.Contain("no opening within 14 days"));
        });
    }

    [Test]
    public void Check_UnknownZoneStoredBeforeTheRule_IsNeverDialed() =>
        Assert.That(Safety.Check(Call("+80012345678"), Now)!.FinalStatus, Is.EqualTo(CallStatus.Failed));

    [Test]
    public void RetryAt_InsideTheHours_StaysPut() =>
        Assert.That(Safety.RetryAt(Call("+919876543210"), Now.AddMinutes(5)), Is.EqualTo(Now.AddMinutes(5)));

    [Test]
    public void RetryAt_AfterNineInIndia_MovesToNineTheNextMorning() =>
        Assert.That(
            Safety.RetryAt(Call("+919876543210"), new DateTimeOffset(2026, 12, 7, 21, 5, 0, TimeSpan.FromHours(5.5))),
            Is.EqualTo(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.FromHours(5.5))));

    [Test]
    public void RetryAt_AtOrPastTheDeadline_IsNowhere()
    {
        var call = Call("+919876543210") with { ExpiresAt = Now.AddMinutes(5) };

        Assert.Multiple(() =>
        {
            Assert.That(Safety.RetryAt(call, Now.AddMinutes(5)), Is.Null);
            Assert.That(Safety.RetryAt(call with { ExpiresAt = new DateTimeOffset(2026, 12, 7, 22, 0, 0, TimeSpan.FromHours(5.5)) }, new DateTimeOffset(2026, 12, 7, 21, 5, 0, TimeSpan.FromHours(5.5))), Is.Null, "the hours do not open again before it");
        });
    }

    [TestCase("+13055550123", 3)]
    [TestCase("+14055550123", 3)]
    [TestCase("+14155550123", null)]
    [TestCase("+919876543210", null)]
    public void LegalCampaignCap_FloridaAndOklahoma_ThreePerDay(string number, int? cap) =>
        Assert.That(Safety.LegalCampaignCap(Call(number)), Is.EqualTo(cap));

    [Test]
    public void LegalCampaignCap_LegalHoursOff_None()
    {
        var off = new CallSafety(new CallingHours(CallingHoursPolicy.From(new CallingHoursOptions { LegalCallingHours = "off" }), TimeProvider.System));

        Assert.That(off.LegalCampaignCap(Call("+13055550123")), Is.Null);
    }

    private static CallConfig Config(CallWindow? window = null, string? timezone = null) =>
        new() { AnswerUrl = "https://agent.example.com/answer", CallingWindow = window, Timezone = timezone };

    private static CallRecord Call(string number) => new() { CallId = "call_1", PhoneNumber = number, CampaignId = "c", Config = Config() };
}
