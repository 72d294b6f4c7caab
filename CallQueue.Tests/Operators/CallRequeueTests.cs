using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Operators;

namespace CallQueue.Tests.Operators;

[TestFixture]
public sealed class CallRequeueTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    [TestCase(CallStatus.Failed)]
    [TestCase(CallStatus.Unknown)]
    [TestCase(CallStatus.Cancelled)]
    public void Refusal_EndedWithoutAnswer_IsNull(CallStatus status) =>
        Assert.That(CallRequeue.Refusal(Call(status, Attempt(1, CallOutcome.Busy))), Is.Null);

    [Test]
    public void Refusal_Completed_SaysItIsNotDialedAgain() =>
        Assert.That(CallRequeue.Refusal(Call(CallStatus.Completed, Attempt(1, CallOutcome.Answered))), Is.EqualTo("Call already completed: not dialed again"));

    [TestCase(CallStatus.Queued, "queued")]
    [TestCase(CallStatus.Scheduled, "scheduled")]
    [TestCase(CallStatus.Retry, "retry")]
    [TestCase(CallStatus.Dialing, "dialing")]
    [TestCase(CallStatus.Ringing, "ringing")]
    [TestCase(CallStatus.InProgress, "in_progress")]
    public void Refusal_NotEnded_NamesTheStatus(CallStatus status, string wire) =>
        Assert.That(CallRequeue.Refusal(Call(status)), Does.StartWith($"Call is {wire}:"));

    [Test]
    public void Refusal_CancelledWhileItsAttemptIsStillOpen_WaitsForTheHangup() =>
        Assert.That(CallRequeue.Refusal(Call(CallStatus.Cancelled, Attempt(1, outcome: null))), Does.Contain("has not ended at Plivo yet"));

    [Test]
    public void Apply_FailedCall_QueuesItWithAFreshBudgetAndKeepsItsHistory()
    {
        var call = Call(CallStatus.Failed, Attempt(1, CallOutcome.Busy), Attempt(2, CallOutcome.NoAnswer)) with { MaxRetries = 1, StatusReason = "No answer after 2 attempts" };

        var requeued = CallRequeue.Apply(call, "dashboard", Now);

        Assert.Multiple(() =>
        {
            Assert.That(requeued.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(requeued.StatusReason, Is.EqualTo("Requeued by operator"));
            Assert.That(requeued.Attempts, Is.EqualTo(call.Attempts), "history kept");
            Assert.That(requeued.AttemptOffset, Is.EqualTo(2));
            Assert.That(requeued.AttemptBudget, Is.EqualTo(4), "two attempts made, then 1 + max_retries new ones");
            Assert.That(requeued.Notes, Has.Count.EqualTo(1));
            Assert.That(requeued.Notes![0].At, Is.EqualTo(Now));
            Assert.That(requeued.Notes[0].Text, Does.StartWith("Requeued by operator via the dashboard after 2 attempts")
                .And.Contains("was failed: No answer after 2 attempts").And.Contains("next: attempt 3 of 4"));
            Assert.That(CallRequeue.JobReason(requeued, "dashboard"), Is.EqualTo("Requeued by operator via the dashboard: next attempt 3 of 4"));
        });
    }

    [Test]
    public void Apply_RequeuedTwice_AddsASecondNote()
    {
        var once = CallRequeue.Apply(Call(CallStatus.Failed, Attempt(1, CallOutcome.Busy)), "API", Now);
        var twice = CallRequeue.Apply(once with { Status = CallStatus.Failed, Attempts = [.. once.Attempts, Attempt(2, CallOutcome.Busy)] }, "API", Now.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(twice.Notes, Has.Count.EqualTo(2));
            Assert.That(twice.AttemptOffset, Is.EqualTo(2));
            Assert.That(twice.Notes![1].Text, Does.Contain("via the API after 2 attempts"));
        });
    }

    private static CallRecord Call(CallStatus status, params CallAttempt[] attempts) => new()
    {
        CallId = "call-1",
        PhoneNumber = "+919876543210",
        CampaignId = "campaign-123",
        Config = new CallConfig { AnswerUrl = "https://agent.example.com/answer" },
        Status = status,
        Attempts = attempts,
    };

    private static CallAttempt Attempt(int number, CallOutcome? outcome) =>
        new() { Number = number, StartedAt = Now.AddMinutes(-number), Outcome = outcome };
}
