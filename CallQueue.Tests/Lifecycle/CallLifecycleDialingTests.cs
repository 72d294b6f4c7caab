using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>The dialer's transitions: claim, give back, the fencing of the send, Plivo's answer, failures, adoption.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallLifecycleDialingTests
{
    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void ClaimAttempt_WaitingCall_IsDialingUnderTheClaimsToken(CallStatus status)
    {
        var call = Call(status) with { NextAttemptAt = Now };

        var transition = Apply(call, new ClaimAttempt(1, "job-1", "tok"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Dialing: attempt 1 of 3"));
            Assert.That(transition.Next.NextAttemptAt, Is.Null);
            Assert.That(transition.Next.LastAttempt, Is.EqualTo(new CallAttempt { Number = 1, StartedAt = Now, JobId = "job-1", ClaimToken = "tok" }));
            Assert.That(transition.Effects, Is.Empty);
        });
    }

    [Test]
    public void ClaimAttempt_NumberAlreadyClaimed_IsRefusedAsStale() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1)), new ClaimAttempt(1, "job-1", "other")).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [TestCase(CallStatus.Completed)]
    [TestCase(CallStatus.Failed)]
    [TestCase(CallStatus.Cancelled)]
    [TestCase(CallStatus.Unknown)]
    public void ClaimAttempt_TerminalCall_IsRefused(CallStatus status) =>
        Assert.That(Apply(Call(status), new ClaimAttempt(1, "job-1", "tok")).Accepted, Is.False);

    [Test]
    public void GiveBackAttempt_NeverSent_QueuesTheCallAgainWithoutTheAttempt()
    {
        var transition = Apply(Call(CallStatus.Dialing, Ended(1, CallOutcome.Busy), Claimed(2)), new GiveBackAttempt(Claimed(2), "its dialer stopped before sending it", MarkedByThisRun: false));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(transition.Next.Attempts, Has.Count.EqualTo(1));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Attempt 2 was not sent (its dialer stopped before sending it); waiting to dial"));
        });
    }

    [Test]
    public void GiveBackAttempt_MarkedSentByAnotherRun_IsRefused()
    {
        var sent = Claimed(1) with { SentAt = Now };

        Assert.That(Apply(Call(CallStatus.Dialing, sent), new GiveBackAttempt(Claimed(1), "why", MarkedByThisRun: false)).Accepted, Is.False);
    }

    [Test]
    public void GiveBackAttempt_MarkedSentByThisRunThatSentNothing_IsAccepted()
    {
        var sent = Claimed(1) with { SentAt = Now };

        Assert.That(Apply(Call(CallStatus.Dialing, sent), new GiveBackAttempt(Claimed(1), "waiting for the rate limiter", MarkedByThisRun: true)).Next!.Attempts, Is.Empty);
    }

    [Test]
    public void GiveBackAttempt_ClaimTakenOverUnderAnotherToken_IsRefused() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1) with { ClaimToken = "new" }), new GiveBackAttempt(Claimed(1), "why", false)).Accepted, Is.False);

    [Test]
    public void GiveBackAttempt_AlreadyAcceptedByPlivo_IsRefused() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Placed(1)), new GiveBackAttempt(Claimed(1), "why", true)).Accepted, Is.False);

    [Test]
    public void MarkSending_SameClaim_RecordsWhenTheRequestLeaves() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1)), new MarkSending(Claimed(1))).Next!.LastAttempt!.SentAt, Is.EqualTo(Now));

    [Test]
    public void MarkSending_ClaimTakenOver_IsRefusedSoThisRunSendsNothing() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1) with { ClaimToken = "new" }), new MarkSending(Claimed(1))).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [Test]
    public void MarkSending_AlreadyMarked_IsRefused() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now.AddSeconds(-1) }), new MarkSending(Claimed(1))).Accepted, Is.False);

    [Test]
    public void UnmarkSending_OwnMark_ClearsIt()
    {
        var marked = Claimed(1) with { SentAt = Now.AddSeconds(-1) };

        Assert.That(Apply(Call(CallStatus.Dialing, marked), new UnmarkSending(Claimed(1), Now.AddSeconds(-1))).Next!.LastAttempt!.SentAt, Is.Null);
    }

    [Test]
    public void UnmarkSending_AnotherMark_IsRefused() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new UnmarkSending(Claimed(1), Now.AddSeconds(-1))).Accepted, Is.False);

    [Test]
    public void PlivoAccepted_Dialing_RecordsTheRequestAndHandsTheCallToTheAgent()
    {
        var transition = Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new PlivoAccepted(1, "req-9", "call fired"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.LastAttempt!.RequestUuid, Is.EqualTo("req-9"));
            Assert.That(transition.Next.LastAttempt.AcceptedAt, Is.EqualTo(Now));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Placed with Plivo (call fired); waiting for the callee"));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new NotifyAgent(1) }));
        });
    }

    [Test]
    public void PlivoAccepted_AfterAFasterRingCallback_KeepsTheRingingStatusAndReason()
    {
        var call = Call(CallStatus.Ringing, Claimed(1) with { SentAt = Now, RingingAt = Now }) with { StatusReason = "Ringing (attempt 1 of 3)" };

        var next = Apply(call, new PlivoAccepted(1, "req-1", null)).Next!;

        Assert.That((next.Status, next.StatusReason, next.LastAttempt!.RequestUuid), Is.EqualTo((CallStatus.Ringing, "Ringing (attempt 1 of 3)", "req-1")));
    }

    [Test]
    public void DialFailed_Rejected_FailsTheCallForAPersonWithoutRetry()
    {
        var transition = Apply(Call(CallStatus.Dialing, Claimed(1)), new DialFailed(1, DialFailure.Rejected, "Plivo answered 401 Unauthorized"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Plivo answered 401 Unauthorized. Not retried: fix the request or the account, then requeue."));
            Assert.That(transition.Next.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.ProviderError));
            Assert.That(transition.Next.LastAttempt.ResultSource, Is.EqualTo(CallLifecycle.DialerSource));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[]
            {
                new ReleaseSlot(), new CountEnded(CallStatus.Failed, CallOutcome.ProviderError), new MoveJob(JobMove.Fail, transition.Next.StatusReason!),
            }));
        });
    }

    [TestCase(1, DialFailure.Transient, CallOutcome.ProviderError, 30, "Plivo answered 503 → retry in 30 s (attempt 2 of 3)")]
    [TestCase(2, DialFailure.NotSent, CallOutcome.NetworkError, 60, "Plivo answered 503 → retry in 60 s (attempt 3 of 3)")]
    public void DialFailed_TransientWithinBudget_RetriesAfterTheProviderDelay(int number, DialFailure failure, CallOutcome outcome, int seconds, string reason)
    {
        var attempts = Enumerable.Range(1, number - 1).Select(n => Ended(n, CallOutcome.ProviderError)).Append(Claimed(number)).ToArray();

        var transition = Apply(Call(CallStatus.Dialing, attempts), new DialFailed(number, failure, "Plivo answered 503"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(transition.Next.StatusReason, Is.EqualTo(reason));
            Assert.That(transition.Next.NextAttemptAt, Is.EqualTo(Now.AddSeconds(seconds)));
            Assert.That(transition.Next.LastAttempt!.Outcome, Is.EqualTo(outcome));
            Assert.That(transition.Effect<MoveJob>(), Is.EqualTo(new MoveJob(JobMove.Schedule, reason, TimeSpan.FromSeconds(seconds))));
        });
    }

    [Test]
    public void DialFailed_LastAttemptOfTheBudget_FailsTheCall()
    {
        var call = Call(CallStatus.Dialing, Ended(1, CallOutcome.Busy), Ended(2, CallOutcome.Busy), Claimed(3));

        var transition = Apply(call, new DialFailed(3, DialFailure.Transient, "Plivo answered 503"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("Plivo answered 503 after 3 attempts"));
            Assert.That(transition.Effect<MoveJob>()!.Move, Is.EqualTo(JobMove.Fail));
        });
    }

    [Test]
    public void DialFailed_AttemptSettledMeanwhileByACallback_IsRefusedAndTheCallbacksWordStands() =>
        Assert.That(Apply(Call(CallStatus.Retry, Ended(1, CallOutcome.Busy)), new DialFailed(1, DialFailure.Transient, "x")).RefusedAs, Is.EqualTo(RefusalKind.Stale));

    [Test]
    public void ResultUnknown_OpenAttempt_GoesToAPersonAsAProvisionalUnknown()
    {
        var transition = Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new ResultUnknown(1, "Check Plivo's call log"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(CallStatus.Unknown));
            Assert.That(CallLifecycle.IsProvisional(transition.Next.LastAttempt!), Is.True);
            Assert.That(transition.Effect<MoveJob>(), Is.EqualTo(new MoveJob(JobMove.Fail, "Check Plivo's call log")));
        });
    }

    [TestCase(true, CallStatus.Ringing)]
    [TestCase(false, CallStatus.Dialing)]
    public void FoundAtPlivo_LiveOrQueued_AdoptsTheCallAndHandsItToTheAgent(bool live, CallStatus expected)
    {
        var transition = Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new FoundAtPlivo(1, "req-x", "uuid-x", live, Ended: false, Now, "found"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.Next!.Status, Is.EqualTo(expected));
            Assert.That((transition.Next.LastAttempt!.RequestUuid, transition.Next.LastAttempt.CallUuid), Is.EqualTo(("req-x", "uuid-x")));
            Assert.That(transition.Next.StatusReason, Is.EqualTo("found"));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new NotifyAgent(1) }));
        });
    }

    [Test]
    public void FoundAtPlivo_Ended_AdoptsTheRecordForTheReconcilerWithoutEffects()
    {
        var transition = Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new FoundAtPlivo(1, "uuid-x", "uuid-x", false, Ended: true, Now, "ended"));

        Assert.That((transition.Next!.LastAttempt!.CallUuid, transition.Effects.Count), Is.EqualTo(("uuid-x", 0)));
    }

    [Test]
    public void FoundAtPlivo_AttemptAlreadyNamedByACallback_IsRefused() =>
        Assert.That(Apply(Call(CallStatus.Ringing, Placed(1)), new FoundAtPlivo(1, "req-x", "uuid-x", true, false, Now, "found")).Accepted, Is.False);

    [Test]
    public void WasNeverSent_OnlyForATokenedClaimWithNothingRecordedAfterIt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CallLifecycle.WasNeverSent(Claimed(1)), Is.True);
            Assert.That(CallLifecycle.WasNeverSent(Claimed(1) with { SentAt = Now }), Is.False, "maybe sent");
            Assert.That(CallLifecycle.WasNeverSent(Claimed(1) with { ClaimToken = null }), Is.False, "claimed before tokens existed");
            Assert.That(CallLifecycle.WasNeverSent(Placed(1)), Is.False);
        });
    }
}
