using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Holds and stops of callee safety in the pure state machine: only waiting calls, with their job moves.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallLifecycleSafetyTests
{
    private static readonly DateTimeOffset Until = Now.AddHours(7);

    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void HoldCall_WaitingCall_IsScheduledUntilThenWithTheReasonAndNoAttempt(CallStatus status)
    {
        var transition = Apply(Call(status), new HoldCall(SafetyRule.CallingHours, Until, "Outside calling hours"));

        var held = transition.Next!;
        Assert.Multiple(() =>
        {
            Assert.That(held.Status, Is.EqualTo(CallStatus.Scheduled));
            Assert.That(held.StatusReason, Is.EqualTo("Outside calling hours"));
            Assert.That(held.NextAttemptAt, Is.EqualTo(Until));
            Assert.That(held.Hold, Is.EqualTo(new CallHold(SafetyRule.CallingHours, Until)));
            Assert.That(held.Attempts, Is.Empty);
            Assert.That(held.Decisions, Is.EqualTo(new[] { new SafetyDecision(Now, SafetyRule.CallingHours, "Outside calling hours") }));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(JobMove.Schedule, "Outside calling hours", TimeSpan.FromHours(7)) }));
        });
    }

    [TestCase(CallStatus.Dialing)]
    [TestCase(CallStatus.Completed)]
    [TestCase(CallStatus.Blocked)]
    public void HoldCall_CallNotWaiting_IsStale(CallStatus status) =>
        Assert.That(Apply(Call(status), new HoldCall(SafetyRule.NumberBusy, Until, "busy")).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [Test]
    public void HoldCall_WithAnOpenAttempt_IsStale() =>
        Assert.That(Apply(Call(CallStatus.Queued, Claimed(1)), new HoldCall(SafetyRule.NumberGap, Until, "gap")).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [Test]
    public void HoldCall_ManyDecisions_KeepsTheLastTwenty()
    {
        var call = Call(CallStatus.Scheduled);
        for (var i = 0; i < 25; i++)
        {
            call = Apply(call, new HoldCall(SafetyRule.NumberBusy, Until, $"hold {i}")).Next!;
        }

        Assert.That(call.Decisions!.Select(d => d.Said), Is.EqualTo(Enumerable.Range(5, 20).Select(i => $"hold {i}")));
    }

    [TestCase(CallStatus.Blocked, JobMove.Delete)]
    [TestCase(CallStatus.Expired, JobMove.Delete)]
    [TestCase(CallStatus.Failed, JobMove.Fail)]
    public void StopCall_WaitingCall_EndsItUndialed(CallStatus final, JobMove move)
    {
        var held = Apply(Call(CallStatus.Queued), new HoldCall(SafetyRule.CallingHours, Until, "held")).Next!;

        var transition = Apply(held, new StopCall(SafetyRule.DoNotCall, final, "stopped"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(final));
            Assert.That(transition.Next.Hold, Is.Null);
            Assert.That(transition.Next.NextAttemptAt, Is.Null);
            Assert.That(transition.Next.Decisions!.Select(d => d.Rule), Is.EqualTo(new[] { SafetyRule.CallingHours, SafetyRule.DoNotCall }));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(move, "stopped") }), "no slot to release, no attempt to count");
        });
    }

    [Test]
    public void CancelCall_HeldCall_IsCancelledAndNoLongerHeld()
    {
        var held = Apply(Call(CallStatus.Queued), new HoldCall(SafetyRule.CallingHours, Until, "held")).Next!;

        var cancelled = Apply(held, new CancelCall("Cancelled by API request")).Next!;

        Assert.Multiple(() =>
        {
            Assert.That(cancelled.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(cancelled.Hold, Is.Null, "not counted as waiting any more");
        });
    }

    [TestCase(CallStatus.Expired, "Call is expired: its expires_at has passed")]
    [TestCase(CallStatus.Blocked, "Call is blocked: its number is on the do-not-call list")]
    public void RequeueRefusal_ExpiredOrBlocked_SaysWhyInsteadOfRingingAnyway(CallStatus status, string refusal) =>
        Assert.That(CallLifecycle.RequeueRefusal(Call(status)), Does.StartWith(refusal));
}
