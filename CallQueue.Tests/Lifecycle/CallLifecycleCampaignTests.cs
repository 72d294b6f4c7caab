using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>
/// Campaign and batch control on one call (issue 12): a pause parks a waiting call, a resume puts it back, a cancel ends
/// it if it is not dialed yet, and never touches a call that is being dialed, ringing or talking.
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallLifecycleCampaignTests
{
    private const string Paused = "Campaign campaign-1 paused";
    private const string Cancelled = "Campaign campaign-1 cancelled";

    private static readonly CallHold CallingHours = new(SafetyRule.CallingHours, Now.AddHours(2));

    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void ParkCall_Waiting_KeepsTheStatusSaysWhyAndParksTheJob(CallStatus status)
    {
        var call = Call(status) with { NextAttemptAt = Now.AddMinutes(5), Hold = CallingHours };

        var transition = Apply(call, new ParkCall(Paused));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next, Is.EqualTo(call with { StatusReason = Paused, NextAttemptAt = null, Hold = null }));
            Assert.That(transition.Next!.Status, Is.EqualTo(status), "keeps its status and place");
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(JobMove.Park, Paused) }));
        });
    }

    [Test]
    public void ParkCall_RetryAfterAnEndedAttempt_UsesNoAttempt()
    {
        var call = Call(CallStatus.Retry, Ended(1, CallOutcome.Busy)) with { NextAttemptAt = Now.AddMinutes(5) };

        var parked = Apply(call, new ParkCall(Paused)).Next!;

        Assert.That((parked.Status, parked.Attempts.Count, parked.AttemptBudget), Is.EqualTo((CallStatus.Retry, 1, 3)));
    }

    [TestCase(CallStatus.Dialing)]
    [TestCase(CallStatus.Ringing)]
    [TestCase(CallStatus.InProgress)]
    public void ParkCall_BeingDialedOrTalking_IsRefused(CallStatus status) =>
        AssertRefused(Apply(Call(status, Placed(1)), new ParkCall(Paused)), RefusalKind.Stale);

    [TestCase(CallStatus.Completed, CallOutcome.Answered)]
    [TestCase(CallStatus.Failed, CallOutcome.Busy)]
    [TestCase(CallStatus.Cancelled, CallOutcome.Cancelled)]
    [TestCase(CallStatus.Unknown, CallOutcome.Unknown)]
    [TestCase(CallStatus.Expired, CallOutcome.NoAnswer)]
    [TestCase(CallStatus.Blocked, CallOutcome.NoAnswer)]
    public void ParkCall_Over_IsRefused(CallStatus status, CallOutcome outcome) =>
        AssertRefused(Apply(Call(status, Ended(1, outcome)), new ParkCall(Paused)), RefusalKind.Stale);

    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Retry)]
    public void ParkCall_WaitingWithAnOpenAttempt_IsRefused(CallStatus status)
    {
        AssertRefused(Apply(Call(status, Claimed(1)), new ParkCall(Paused)), RefusalKind.Stale);
        AssertRefused(Apply(Call(status, Placed(1)), new ParkCall(Paused)), RefusalKind.Stale);
    }

    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void UnparkCall_Waiting_EnqueuesTheJobInItsQueue(CallStatus status)
    {
        var call = Call(status) with { StatusReason = Paused };

        var transition = Apply(call, new UnparkCall("Campaign resumed"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next, Is.EqualTo(call with { StatusReason = "Campaign resumed", NextAttemptAt = null, Hold = null }));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(JobMove.Enqueue, "Campaign resumed") }));
        });
    }

    [TestCase(CallStatus.Dialing)]
    [TestCase(CallStatus.Ringing)]
    [TestCase(CallStatus.InProgress)]
    [TestCase(CallStatus.Completed)]
    [TestCase(CallStatus.Cancelled)]
    public void UnparkCall_NotWaiting_IsRefused(CallStatus status) =>
        AssertRefused(Apply(Call(status, Placed(1)), new UnparkCall("Campaign resumed")), RefusalKind.Stale);

    [Test]
    public void UnparkCall_WaitingWithAnOpenAttempt_IsRefused() =>
        AssertRefused(Apply(Call(CallStatus.Queued, Claimed(1)), new UnparkCall("Campaign resumed")), RefusalKind.Stale);

    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void CancelWaiting_NotDialedYet_CancelsAndDeletesTheJob(CallStatus status)
    {
        var call = Call(status, Ended(1, CallOutcome.Busy)) with { NextAttemptAt = Now.AddMinutes(5), Hold = CallingHours };

        var transition = Apply(call, new CancelWaiting(Cancelled));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next, Is.EqualTo(call with { Status = CallStatus.Cancelled, StatusReason = Cancelled, NextAttemptAt = null, Hold = null }));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(JobMove.Delete, Cancelled) }));
        });
    }

    [TestCase(CallStatus.Dialing)]
    [TestCase(CallStatus.Ringing)]
    [TestCase(CallStatus.InProgress)]
    public void CancelWaiting_InFlight_IsLeftAloneAndNeverHungUp(CallStatus status)
    {
        var transition = Apply(Call(status, Placed(1)), new CancelWaiting(Cancelled));

        Assert.Multiple(() =>
        {
            AssertRefused(transition, RefusalKind.LeftAlone);
            Assert.That(transition.Effects, Has.None.InstanceOf<CancelAtPlivo>(), "a ringing call is never hung up");
        });
    }

    [Test]
    public void CancelWaiting_ClaimedNotSent_IsLeftAlone() =>
        AssertRefused(Apply(Call(CallStatus.Dialing, Claimed(1)), new CancelWaiting(Cancelled)), RefusalKind.LeftAlone);

    [Test]
    public void CancelWaiting_WaitingWithAnOpenAttempt_IsLeftAlone() =>
        AssertRefused(Apply(Call(CallStatus.Retry, Placed(1)), new CancelWaiting(Cancelled)), RefusalKind.LeftAlone);

    [TestCase(CallStatus.Completed, CallOutcome.Answered)]
    [TestCase(CallStatus.Failed, CallOutcome.Busy)]
    [TestCase(CallStatus.Cancelled, CallOutcome.Cancelled)]
    [TestCase(CallStatus.Unknown, CallOutcome.Unknown)]
    [TestCase(CallStatus.Expired, CallOutcome.NoAnswer)]
    [TestCase(CallStatus.Blocked, CallOutcome.NoAnswer)]
    public void CancelWaiting_Over_IsLeftAlone(CallStatus status, CallOutcome outcome) =>
        AssertRefused(Apply(Call(status, Ended(1, outcome)), new CancelWaiting(Cancelled)), RefusalKind.LeftAlone);

    private static void AssertRefused(Transition transition, RefusalKind kind) =>
        Assert.That((transition.Accepted, transition.RefusedAs, transition.Effects.Count), Is.EqualTo((false, (RefusalKind?)kind, 0)));
}
