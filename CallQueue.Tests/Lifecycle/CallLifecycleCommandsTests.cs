using System.Text.Json;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using static CallQueue.Tests.Lifecycle.LifecycleSamples;

namespace CallQueue.Tests.Lifecycle;

/// <summary>What people and the agent do to a call: cancel, requeue, the agent's hand-over and result.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CallLifecycleCommandsTests
{
    [TestCase(CallStatus.Queued)]
    [TestCase(CallStatus.Scheduled)]
    [TestCase(CallStatus.Retry)]
    public void CancelCall_NotDialedYet_CancelsAndDeletesTheJob(CallStatus status)
    {
        var transition = Apply(Call(status) with { NextAttemptAt = Now }, new CancelCall("Cancelled by request"));

        Assert.Multiple(() =>
        {
            Assert.That((transition.Next!.Status, transition.Next.StatusReason, transition.Next.NextAttemptAt), Is.EqualTo((CallStatus.Cancelled, "Cancelled by request", (DateTimeOffset?)null)));
            Assert.That(transition.Effects, Is.EqualTo(new CallEffect[] { new MoveJob(JobMove.Delete, "Cancelled by request") }));
        });
    }

    [TestCase(CallStatus.Dialing)]
    [TestCase(CallStatus.Ringing)]
    public void CancelCall_PlacedNotAnswered_CancelsHereThenAtPlivo(CallStatus status)
    {
        var transition = Apply(Call(status, Placed(1)), new CancelCall("Cancelled by request"));

        Assert.That((transition.Next!.Status, transition.Effect<CancelAtPlivo>()), Is.EqualTo((CallStatus.Cancelled, (CancelAtPlivo?)new CancelAtPlivo(Placed(1)))));
    }

    [Test]
    public void CancelCall_RequestInFlight_IsRefusedForAMoment() =>
        Assert.That(Apply(Call(CallStatus.Dialing, Claimed(1) with { SentAt = Now }), new CancelCall("x")).RefusedAs, Is.EqualTo(RefusalKind.InFlight));

    [TestCase(CallStatus.InProgress, "in_progress")]
    [TestCase(CallStatus.Completed, "completed")]
    [TestCase(CallStatus.Failed, "failed")]
    [TestCase(CallStatus.Cancelled, "cancelled")]
    [TestCase(CallStatus.Unknown, "unknown")]
    public void CancelCall_AnsweredOrOver_IsNotAllowedAndNamesTheStatus(CallStatus status, string wire)
    {
        var transition = Apply(Call(status, Ended(1, CallOutcome.Busy)), new CancelCall("x"));

        Assert.That((transition.RefusedAs, transition.Refusal), Is.EqualTo(((RefusalKind?)RefusalKind.NotAllowed,
            $"Call call_1 is {wire}: only queued, scheduled, retry, dialing or ringing calls can be cancelled.")));
    }

    [TestCase(CallStatus.Failed)]
    [TestCase(CallStatus.Unknown)]
    [TestCase(CallStatus.Cancelled)]
    public void RequeueCall_EndedWithoutAnswer_QueuesItWithAFreshBudgetAndKeepsItsHistory(CallStatus status)
    {
        var call = Call(status, Ended(1, CallOutcome.Busy), Ended(2, CallOutcome.NoAnswer)) with { MaxRetries = 1, StatusReason = "No answer after 2 attempts" };

        var requeued = Apply(call, new RequeueCall("dashboard")).Next!;

        Assert.Multiple(() =>
        {
            Assert.That(requeued.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(requeued.StatusReason, Is.EqualTo("Requeued by operator"));
            Assert.That(requeued.Attempts, Is.EqualTo(call.Attempts), "history kept");
            Assert.That((requeued.AttemptOffset, requeued.AttemptBudget), Is.EqualTo((2, 4)), "two attempts made, then 1 + max_retries new ones");
            Assert.That(requeued.JobId, Is.EqualTo("job-1"));
            Assert.That(requeued.Notes, Has.Count.EqualTo(1));
            Assert.That(requeued.Notes![0].At, Is.EqualTo(Now));
            Assert.That(requeued.Notes[0].Text, Does.StartWith("Requeued by operator via the dashboard after 2 attempts")
                .And.Contains($"was {status.ToWire()}: No answer after 2 attempts").And.Contains("next: attempt 3 of 4"));
        });
    }

    [Test]
    public void RequeueCall_Twice_AddsASecondNoteAndMovesTheOffset()
    {
        var once = Apply(Call(CallStatus.Failed, Ended(1, CallOutcome.Busy)), new RequeueCall("API")).Next!;
        var twice = Machine.Apply(once with { Status = CallStatus.Failed, Attempts = [.. once.Attempts, Ended(2, CallOutcome.Busy)] }, new RequeueCall("API"), Now.AddHours(1)).Next!;

        Assert.That((twice.Notes!.Count, twice.AttemptOffset, twice.Notes[1].Text.Contains("via the API after 2 attempts", StringComparison.Ordinal)), Is.EqualTo((2, 2, true)));
    }

    [Test]
    public void RequeueCall_DetachJob_ForgetsTheExpiredJob() =>
        Assert.That(Apply(Call(CallStatus.Failed, Ended(1, CallOutcome.Busy)), new RequeueCall("API", DetachJob: true)).Next!.JobId, Is.Null);

    [Test]
    public void RequeueCall_Completed_IsNotDialedAgain() =>
        Assert.That(Apply(Call(CallStatus.Completed, Ended(1, CallOutcome.Answered)), new RequeueCall("API")).Refusal, Is.EqualTo("Call already completed: not dialed again"));

    [TestCase(CallStatus.Queued, "queued")]
    [TestCase(CallStatus.Scheduled, "scheduled")]
    [TestCase(CallStatus.Retry, "retry")]
    [TestCase(CallStatus.Dialing, "dialing")]
    [TestCase(CallStatus.Ringing, "ringing")]
    [TestCase(CallStatus.InProgress, "in_progress")]
    public void RequeueCall_NotEnded_IsNotAllowedAndNamesTheStatus(CallStatus status, string wire)
    {
        var transition = Apply(Call(status), new RequeueCall("API"));

        Assert.Multiple(() =>
        {
            Assert.That(transition.RefusedAs, Is.EqualTo(RefusalKind.NotAllowed));
            Assert.That(transition.Refusal, Does.StartWith($"Call is {wire}:"));
        });
    }

    [Test]
    public void RequeueCall_CancelledWhileItsAttemptIsStillOpen_WaitsForTheHangup() =>
        Assert.That(Apply(Call(CallStatus.Cancelled, Placed(1)), new RequeueCall("API")).Refusal, Does.Contain("has not ended at Plivo yet"));

    [Test]
    public void RequeueCall_ByTheDashboardOfAnotherJob_IsLeftAlone() =>
        Assert.That(Apply(Call(CallStatus.Failed, Ended(1, CallOutcome.Busy)), new RequeueCall("dashboard", ByJob: "job-2")).RefusedAs, Is.EqualTo(RefusalKind.LeftAlone));

    [Test]
    public void RequeueCall_ByTheDashboardWhileTheCallIsWaiting_IsLeftAloneWithoutARefusal()
    {
        var transition = Apply(Call(CallStatus.Retry, Ended(1, CallOutcome.Busy)), new RequeueCall("dashboard", ByJob: "job-1"));

        Assert.That((transition.RefusedAs, transition.Refusal), Is.EqualTo(((RefusalKind?)RefusalKind.LeftAlone, (string?)null)));
    }

    [Test]
    public void AgentHandoffTried_CountsEveryTryAndKeepsTheLastSuccess()
    {
        var call = Call(CallStatus.Ringing, Placed(1));
        var first = Apply(call, new AgentHandoffTried(1, 200, Error: null)).Next!;
        var second = Machine.Apply(first, new AgentHandoffTried(1, 500, "Agent server answered 500"), Now.AddSeconds(1)).Next!;

        Assert.That(second.Agent, Is.EqualTo(new AgentHandoff { DialAttempt = 1, Attempts = 2, NotifiedAt = Now, LastError = "Agent server answered 500", LastStatusCode = 500 }));
    }

    [Test]
    public void AgentHandoffTried_ForAnEarlierAttempt_NeverOverwritesALaterOnes()
    {
        var call = Call(CallStatus.Ringing, Ended(1, CallOutcome.Busy), Placed(2)) with { Agent = new AgentHandoff { DialAttempt = 2, Attempts = 1, NotifiedAt = Now } };

        Assert.That(Apply(call, new AgentHandoffTried(1, 200, null)).RefusedAs, Is.EqualTo(RefusalKind.Stale));
    }

    [Test]
    public void AgentResultPosted_ReplacesTheResult()
    {
        using var raw = JsonDocument.Parse("{}");
        var result = new AgentResult { CallOutcome = "interested", ReceivedAt = Now, Raw = raw.RootElement };
        var call = Call(CallStatus.Completed) with { Result = result with { CallOutcome = "old" } };

        Assert.That(Apply(call, new AgentResultPosted(result)).Next!.Result, Is.EqualTo(result));
    }

    [Test]
    public void CancelUnconfirmed_OnlyChangesTheReason()
    {
        var call = Call(CallStatus.Cancelled, Placed(1));

        Assert.That(Apply(call, new CancelUnconfirmed("Plivo did not confirm")).Next, Is.EqualTo(call with { StatusReason = "Plivo did not confirm" }));
    }
}
