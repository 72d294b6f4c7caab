using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>Plivo's word on a placed attempt: ringing, machine detection, the hangup and what it decides.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallLifecycleSettlingTests
{
    private static readonly PlivoCallIds Ids1 = new("req-1", "call-uuid-1");

    [Test]
    public void RingingReported_CurrentAttempt_RingsAndLearnsTheCallUuid()
    {
        var next = Apply(Call(CallStatus.Dialing, Placed(1)), new RingingReported(1, Ids1)).Next!;

        Assert.Multiple(() =>
        {
            Assert.That(next.Status, Is.EqualTo(CallStatus.Ringing));
            Assert.That(next.StatusReason, Is.EqualTo("Ringing (attempt 1 of 3)"));
            Assert.That((next.LastAttempt!.RingingAt, next.LastAttempt.CallUuid), Is.EqualTo(((DateTimeOffset?)Now, "call-uuid-1")));
        });
    }

    [Test]
    public void RingingReported_Twice_SecondIsStale()
    {
        var rung = Apply(Call(CallStatus.Dialing, Placed(1)), new RingingReported(1, Ids1)).Next!;

        Assert.That(Apply(rung, new RingingReported(1, Ids1)).RefusedAs, Is.EqualTo(RefusalKind.Stale));
    }

    [Test]
    public void RingingReported_ForAnotherPlivoCall_IsRefusedAsForeign() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Placed(1)), new RingingReported(1, new PlivoCallIds("req-other", null))).RefusedAs, Is.EqualTo(RefusalKind.ForeignCallback));

    [Test]
    public void RingingReported_ForAnOlderAttempt_RecordsItButLeavesTheCallAlone()
    {
        var call = Call(CallStatus.Dialing, Placed(1), Claimed(2));

        var next = Apply(call, new RingingReported(1, Ids1)).Next!;

        Assert.That((next.Status, next.StatusReason, next.Attempts[0].RingingAt), Is.EqualTo((CallStatus.Dialing, "before", (DateTimeOffset?)Now)));
    }

    [Test]
    public void MachineReported_RecordsTheVerdictOnceAndRefusesForeignCalls()
    {
        var call = Call(CallStatus.Ringing, Placed(1));
        var next = Apply(call, new MachineReported(1, Ids1, Machine: true)).Next!;

        Assert.Multiple(() =>
        {
            Assert.That(next.LastAttempt!.MachineDetected, Is.True);
            Assert.That(Apply(next, new MachineReported(1, Ids1, true)).RefusedAs, Is.EqualTo(RefusalKind.Stale));
            Assert.That(Apply(call, new MachineReported(1, new PlivoCallIds("req-2", null), true)).RefusedAs, Is.EqualTo(RefusalKind.ForeignCallback));
        });
    }

    [Test]
    public void HangupReported_Answered_CompletesFreesTheLineAndLeavesTheJobSucceeded()
    {
        var transition = Apply(Call(CallStatus.Ringing, Placed(1)), new HangupReported(1, Answered(1, 42)));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Answered; the call lasted 42 s"));
            Assert.That(transition.Next.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered));
            Assert.That(transition.Next.LastAttempt.Error, Is.Null);
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new ReleaseSlot(), new CountEnded(CallStatus.Completed, CallOutcome.Answered) }));
        });
    }

    [TestCase(1, 300, "attempt 2 of 3")]
    [TestCase(2, 600, "attempt 3 of 3")]
    public void HangupReported_BusyWithinBudget_SchedulesTheNextAttemptWithADoublingDelay(int number, int seconds, string next)
    {
        var attempts = Enumerable.Range(1, number - 1).Select(n => Ended(n, CallOutcome.Busy)).Append(Placed(number)).ToArray();

        var transition = Apply(Call(CallStatus.Ringing, attempts), new HangupReported(number, Busy(number)));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(transition.Next.StatusReason, Does.StartWith("Busy (3010").And.EndWith($"→ retry in {seconds / 60} min ({next})"));
            Assert.That(transition.Next.NextAttemptAt, Is.EqualTo(Now.AddSeconds(seconds)));
            Assert.That(transition.Effect<MoveJob>(), Is.EqualTo(new MoveJob(JobMove.Schedule, transition.Next.StatusReason!, TimeSpan.FromSeconds(seconds))));
            Assert.That(transition.Effect<ReleaseSlot>(), Is.Not.Null);
        });
    }

    [Test]
    public void HangupReported_BusyOnTheLastAttempt_FailsTheCallAndTheJob()
    {
        var transition = Apply(Call(CallStatus.Ringing, Ended(1, CallOutcome.Busy), Ended(2, CallOutcome.Busy), Placed(3)), new HangupReported(3, Busy(3)));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(transition.Next.StatusReason, Does.StartWith("Busy after 3 attempts (last: Busy (3010"));
            Assert.That(transition.Next.NextAttemptAt, Is.Null);
            Assert.That(transition.Effect<MoveJob>()!.Move, Is.EqualTo(JobMove.Fail));
        });
    }

    [Test]
    public void HangupReported_NotRetryable_FailsAtOnceWhateverTheBudget()
    {
        var invalid = new AttemptResult { RequestUuid = "req-1", CallStatus = "failed", HangupCause = "UNALLOCATED_NUMBER", HangupCauseCode = 3050, HangupCauseName = "Unallocated Number" };

        var transition = Apply(Call(CallStatus.Dialing, Placed(1)), new HangupReported(1, invalid));

        Assert.That((transition.Next!.Status, transition.Next.StatusReason!.EndsWith(": not retried", StringComparison.Ordinal)), Is.EqualTo((CallStatus.Failed, true)));
    }

    [Test]
    public void HangupReported_Cancelled_EndsCancelledWithoutMovingTheJob()
    {
        var cancel = new AttemptResult { RequestUuid = "req-1", CallStatus = "cancel", HangupCause = "ORIGINATOR_CANCEL", HangupCauseCode = 1000, HangupCauseName = "Canceled" };

        var transition = Apply(Call(CallStatus.Ringing, Placed(1)), new HangupReported(1, cancel));

        Assert.That((transition.Next!.Status, transition.Effect<MoveJob>()), Is.EqualTo((CallStatus.Cancelled, (MoveJob?)null)));
    }

    [Test]
    public void HangupReported_Duplicate_IsStale()
    {
        var settled = Apply(Call(CallStatus.Ringing, Placed(1)), new HangupReported(1, Busy(1))).Next!;

        Assert.That(Apply(settled, new HangupReported(1, Busy(1))).RefusedAs, Is.EqualTo(RefusalKind.Stale));
    }

    [Test]
    public void HangupReported_AnsweredAfterTheDialerGuessedUnknown_ReplacesTheGuessAndSucceedsTheJob()
    {
        var guessed = Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now, RequestUuid = "req-1" }), new ResultUnknown(1, "unknown")).Next!;

        var transition = Apply(guessed, new HangupReported(1, Answered(1, 10)));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(transition.Effect<MoveJob>(), Is.EqualTo(new MoveJob(JobMove.Succeed, "Answered; the call lasted 10 s")));
        });
    }

    [Test]
    public void HangupReported_LateForAnOlderAttempt_IsRecordedWithoutMovingTheCall()
    {
        var call = Call(CallStatus.Dialing, Placed(1), Claimed(2));

        var transition = Apply(call, new HangupReported(1, Busy(1)));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Attempts[0].Outcome, Is.EqualTo(CallOutcome.Busy));
            Assert.That((transition.Next.Status, transition.Next.StatusReason), Is.EqualTo((CallStatus.Dialing, "before")));
            Assert.That(transition.Effects, Is.Empty, "the slot belongs to attempt 2 now");
        });
    }

    [Test]
    public void HangupReported_ForAnotherPlivoCall_IsRefusedAsForeign() =>
        Assert.That(Apply(Call(CallStatus.Ringing, Placed(1)), new HangupReported(1, Busy(2))).RefusedAs, Is.EqualTo(RefusalKind.ForeignCallback));

    [Test]
    public void HangupReported_UnknownAttempt_IsStale() =>
        Assert.That(Apply(Call(CallStatus.Ringing, Placed(1)), new HangupReported(5, Busy(5))).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [TestCase(CallStatus.Dialing, true)]
    [TestCase(CallStatus.Ringing, true)]
    [TestCase(CallStatus.InProgress, false)]
    [TestCase(CallStatus.Completed, false)]
    public void SeenLive_DialingOrRinging_IsInProgress(CallStatus status, bool accepted)
    {
        var transition = Apply(Call(status, Placed(1)), new SeenLive());

        Assert.That(transition.Accepted, Is.EqualTo(accepted));
        if (accepted)
        {
            Assert.That((transition.Next!.Status, transition.Next.StatusReason), Is.EqualTo((CallStatus.InProgress, "In progress (seen live at Plivo)")));
        }
    }
}
