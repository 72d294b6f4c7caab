using System.Net;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Plivo;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Dialing;

/// <summary>
/// Every decision of the dial job, in-process: the real registration on the in-memory store and capacity with a fake
/// clock, Plivo scripted at its client, Hangfire's client recording. Asserts what a user would notice: the requests
/// Plivo got, the stored call, the job's exception (which the retry filter turns into its state), the call slot and the
/// agent hand-over. PROVIDER_RETRY_DELAY_SECONDS is 30 and RETRY_DELAY_SECONDS 300.
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed partial class DialCallJobTests
{
    [Test]
    public async Task ExecuteAsync_NoSuchCall_SendsNothing()
    {
        await using var jobs = await StartAsync();

        await jobs.DialAsync("call_missing");

        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(jobs.Jobs.Created, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_CallOwnedByAnotherJob_SendsNothingAndLeavesTheCallAlone()
    {
        await using var jobs = await StartAsync();
        var seeded = Call();
        await jobs.SeedAsync(seeded);

        await jobs.DialAsync(jobId: "job-superseded");

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call, Is.SameAs(seeded), "not written at all");
            Assert.That(slots, Is.Zero);
        });
    }

    [TestCase(CallStatus.Completed, CallOutcome.Answered)]
    [TestCase(CallStatus.Failed, CallOutcome.Busy)]
    [TestCase(CallStatus.Cancelled, CallOutcome.Cancelled)]
    [TestCase(CallStatus.Unknown, CallOutcome.Unknown)]
    public async Task ExecuteAsync_TerminalCall_DoesNothing(CallStatus status, CallOutcome outcome)
    {
        await using var jobs = await StartAsync();
        var seeded = Call(status, maxRetries: 2, Ended(1, outcome));
        await jobs.SeedAsync(seeded);

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call, Is.SameAs(seeded), "not written at all");
            Assert.That(jobs.AgentNotifications, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_PlivoAccepts_SendsOnceRecordsTheRequestAndHandsTheAttemptToTheAgent()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(CallStatus.Retry, maxRetries: 2, Ended(1, CallOutcome.Busy)) with { NextAttemptAt = Start });
        jobs.Plivo.AcceptsWith("req-2");

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var attempt = call.LastAttempt!;
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(jobs.Plivo.Requests[0].To, Is.EqualTo(PhoneNumber));
            Assert.That(jobs.Plivo.Requests[0].From, Is.EqualTo(CallerId));
            Assert.That(jobs.Plivo.Requests[0].HangupUrl, Is.EqualTo("https://queue.example.com/api/plivo/hangup?call_id=call_1&attempt=2"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(call.StatusReason, Is.EqualTo("Placed with Plivo (call fired); waiting for the callee"));
            Assert.That(call.Attempts, Has.Count.EqualTo(2));
            Assert.That(attempt.Number, Is.EqualTo(2));
            Assert.That(attempt.JobId, Is.EqualTo(DialJobId));
            Assert.That(attempt.ClaimToken, Is.Not.Null);
            Assert.That(attempt.SentAt, Is.EqualTo(Start), "marked as sent before the request left");
            Assert.That(attempt.RequestUuid, Is.EqualTo("req-2"));
            Assert.That(attempt.Outcome, Is.Null);
            Assert.That(jobs.AgentNotifications, Is.EqualTo(new[] { (CallId, 2) }));
            Assert.That(slots, Is.EqualTo(1), "the callee's line is held until the hangup");
        });
    }

    [Test]
    public async Task ExecuteAsync_Transient503WithinBudget_RetriesAfterTheProviderDelayAndFreesTheSlot()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        jobs.Plivo.FailsWith(Plivo503());

        var retry = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retry.Delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(retry.Message, Is.EqualTo("Plivo answered 503 ServiceUnavailable: Service Unavailable → retry in 30 s (attempt 2 of 3)"));
            Assert.That(retry.InnerException, Is.TypeOf<PlivoApiException>());
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(call.StatusReason, Is.EqualTo(retry.Message));
            Assert.That(call.NextAttemptAt, Is.EqualTo(Start.AddSeconds(30)));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.ProviderError));
            Assert.That(jobs.AgentNotifications, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_Transient503OnTheLastAttempt_FailsTheCall()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 0));
        jobs.Plivo.FailsWith(Plivo503());

        var failed = Assert.ThrowsAsync<DialFailedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("Plivo answered 503 ServiceUnavailable").And.Contains("after 1 attempt"));
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(call.StatusReason, Is.EqualTo(failed.Message));
            Assert.That(call.NextAttemptAt, Is.Null);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_Unauthorized401_FailsWithoutRetryingEvenWithBudgetLeft()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        jobs.Plivo.FailsWith(new PlivoApiException(HttpStatusCode.Unauthorized, "Authentication failed", "api-401"));

        var failed = Assert.ThrowsAsync<DialFailedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Is.EqualTo("Plivo answered 401 Unauthorized: Authentication failed. Not retried: fix the request or the account, then requeue."));
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Failed));
            Assert.That(call.NextAttemptAt, Is.Null);
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.ProviderError));
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_ConnectionFailedBeforeSending_RetriesAsANetworkError()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        jobs.Plivo.FailsWith(new PlivoConnectionException("Connection refused (api.plivo.com:443)", requestMayHaveBeenSent: false, innerException: null));

        var retry = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(retry.Delay, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(retry.Message, Is.EqualTo("Connection refused (api.plivo.com:443) → retry in 30 s (attempt 2 of 3)"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.NetworkError));
            Assert.That(jobs.Plivo.Lookups, Is.Zero, "a request that never left needs no search at Plivo");
            Assert.That(slots, Is.Zero);
        });
    }

    private static PlivoApiException Plivo503() => new(HttpStatusCode.ServiceUnavailable, "Service Unavailable", "api-503");

    private static PlivoConnectionException MaybeSent() =>
        new("Plivo did not answer within 10 s", requestMayHaveBeenSent: true, innerException: null);

    /// <summary>Attempt <paramref name="number"/> claimed under <paramref name="token"/> by the dial job, not sent.</summary>
    private static CallAttempt Claimed(int number, string token) =>
        new() { Number = number, StartedAt = Start.AddMinutes(-1), JobId = DialJobId, ClaimToken = token };

    private static CallAttempt Ended(int number, CallOutcome outcome) =>
        Claimed(number, "t" + number) with
        {
            SentAt = Start.AddMinutes(-30), RequestUuid = "req-" + number, Outcome = outcome, EndedAt = Start.AddMinutes(-29), ResultSource = "hangup callback",
        };

    private static AttemptResult Answered(string requestUuid, int seconds) => new()
    {
        RequestUuid = requestUuid,
        CallUuid = "call-uuid-1",
        CallStatus = "completed",
        HangupCause = "NORMAL_CLEARING",
        HangupCauseCode = 4000,
        HangupCauseName = "Normal Hangup",
        AnswerTime = Start,
        EndTime = Start.AddSeconds(seconds),
        Duration = seconds,
        BillDuration = seconds,
    };

    private static AttemptResult Busy(string requestUuid) => new()
    {
        RequestUuid = requestUuid, CallUuid = "call-uuid-1", CallStatus = "busy", HangupCause = "USER_BUSY", HangupCauseCode = 3010, HangupCauseName = "Busy Line",
    };
}
