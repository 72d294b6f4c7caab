using System.Net;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Plivo;
using CallQueue.Tests.Support;
using Hangfire.States;
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
public sealed class DialCallJobTests
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

    [Test]
    public async Task ExecuteAsync_AnswerLostAndTheCallLiveAtPlivo_AdoptsItAndSendsNothingAgain()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        jobs.Plivo.FailsWith(MaybeSent());
        jobs.Plivo.LiveCalls.Add(new LiveCall { CallUuid = "call-uuid-1", RequestUuid = "req-1", To = PhoneNumber, CallStatus = "ringing" });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1), "the lost request only");
            Assert.That(jobs.Plivo.Lookups, Is.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Ringing));
            Assert.That(call.StatusReason, Does.StartWith("Attempt 1: found at Plivo (live)"));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(call.LastAttempt.CallUuid, Is.EqualTo("call-uuid-1"));
            Assert.That(call.LastAttempt.Outcome, Is.Null);
            Assert.That(jobs.AgentNotifications, Is.EqualTo(new[] { (CallId, 1) }));
            Assert.That(slots, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_AnswerLostAndTheCallEndedAtPlivo_AdoptsItsRecordForTheReconciler()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        jobs.Plivo.FailsWith(MaybeSent());
        jobs.Plivo.EndedCalls.Add(new CallDetailRecord
        {
            CallUuid = "call-uuid-1", ToNumber = PhoneNumber, InitiationTime = "2026-12-07 10:00:01+00:00", HangupCauseCode = 3010, BillDuration = 0,
        });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing), "the reconciler settles it from the record");
            Assert.That(call.StatusReason, Does.StartWith("Attempt 1: found ended at Plivo (call detail record call-uuid-1)"));
            Assert.That(call.LastAttempt!.CallUuid, Is.EqualTo("call-uuid-1"));
            Assert.That(call.LastAttempt.Outcome, Is.Null);
            Assert.That(jobs.AgentNotifications, Is.Empty, "the call is over: nothing for the agent");
            Assert.That(slots, Is.Zero, "nothing is held at Plivo any more");
        });
    }

    [Test]
    public async Task ExecuteAsync_AnswerLostAndNothingAtPlivo_LeavesTheCallUnknownForAPerson()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        jobs.Plivo.FailsWith(MaybeSent());

        var failed = Assert.ThrowsAsync<DialFailedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("Attempt 1: the result of the request to Plivo is unknown"));
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1), "never sent again blindly");
            Assert.That(jobs.Plivo.Lookups, Is.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Unknown));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Unknown));
            Assert.That(jobs.AgentNotifications, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_AnswerLostAfterACallbackNamedTheCall_HandsItToTheAgentWithoutAskingPlivo()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        var settler = jobs.Service<AttemptSettler>();
        jobs.Plivo.AnswersWith(async _ =>
        {
            await settler.MarkRingingAsync(CallId, 1, new PlivoCallIds("req-1", "call-uuid-1"), CancellationToken.None);
            throw MaybeSent();
        });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(jobs.Plivo.Lookups, Is.Zero);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Ringing));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(jobs.AgentNotifications, Is.EqualTo(new[] { (CallId, 1) }));
            Assert.That(slots, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_RerunOnAClaimNeverSent_GivesItBackAndDialsOnce()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(CallStatus.Dialing, maxRetries: 2, Claimed(1, "dead-run")));
        jobs.Plivo.AcceptsWith("req-1");

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(jobs.Plivo.Lookups, Is.Zero);
            Assert.That(call.Attempts, Has.Count.EqualTo(1), "the same attempt, claimed again");
            Assert.That(call.LastAttempt!.ClaimToken, Is.Not.EqualTo("dead-run"));
            Assert.That(call.LastAttempt.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(jobs.AgentNotifications, Is.EqualTo(new[] { (CallId, 1) }));
            Assert.That(slots, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_RerunOnAClaimThatMayHaveBeenSent_AsksPlivoAndAdoptsTheLiveCallWithoutSending()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(CallStatus.Dialing, maxRetries: 2, Claimed(1, "dead-run") with { SentAt = Start.AddMinutes(-1) }));
        jobs.Plivo.LiveCalls.Add(new LiveCall { CallUuid = "call-uuid-1", RequestUuid = "req-1", To = PhoneNumber, CallStatus = "in-progress" });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(jobs.Plivo.Lookups, Is.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Ringing));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(jobs.AgentNotifications, Is.EqualTo(new[] { (CallId, 1) }));
            Assert.That(slots, Is.EqualTo(1), "the live call holds a line again");
        });
    }

    [Test]
    public async Task ExecuteAsync_RerunOnAClaimThatMayHaveBeenSentAndNothingAtPlivo_SendsNothingAndLeavesItUnknown()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(CallStatus.Dialing, maxRetries: 2, Claimed(1, "dead-run") with { SentAt = Start.AddMinutes(-1) }));

        var failed = Assert.ThrowsAsync<DialFailedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(failed.Message, Does.StartWith("Attempt 1: the result of the request to Plivo is unknown"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(jobs.Plivo.Lookups, Is.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Unknown));
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_RerunOnAPlacedAttempt_WaitsForPlivosCallbacks()
    {
        await using var jobs = await StartAsync();
        var seeded = Call(CallStatus.Dialing, maxRetries: 2, Claimed(1, "first-run") with { SentAt = Start.AddMinutes(-1), RequestUuid = "req-1" });
        await jobs.SeedAsync(seeded);

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(jobs.Plivo.Lookups, Is.Zero);
            Assert.That(call, Is.SameAs(seeded), "not written at all");
        });
    }

    [Test]
    public async Task ExecuteAsync_HangupCallbackWhileTheRequestIsInFlight_TheCallbacksOutcomeStands()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        var settler = jobs.Service<AttemptSettler>();
        jobs.Plivo.AnswersWith(async _ =>
        {
            await settler.SettleAsync(CallId, 1, Answered("req-1", seconds: 42), CancellationToken.None);
            return ScriptedPlivoClient.Accepted("req-1");
        });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(call.StatusReason, Is.EqualTo("Answered; the call lasted 42 s"));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered));
            Assert.That(call.LastAttempt.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(slots, Is.Zero, "the hangup freed the line");
        });
    }

    [Test]
    public async Task ExecuteAsync_BusyCallbackWhileTheRequestIsInFlight_TheCallbacksRetryStands()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2));
        var settler = jobs.Service<AttemptSettler>();
        jobs.Plivo.AnswersWith(async _ =>
        {
            await settler.SettleAsync(CallId, 1, Busy("req-1"), CancellationToken.None);
            return ScriptedPlivoClient.Accepted("req-1");
        });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        var moved = jobs.Jobs.StateChanges;
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(call.StatusReason, Does.StartWith("Busy").And.EndWith("→ retry in 5 min (attempt 2 of 3)"));
            Assert.That(call.NextAttemptAt, Is.EqualTo(Start.AddMinutes(5)));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo("req-1"));
            Assert.That(moved, Has.Count.EqualTo(1), "the callback schedules the job; the job itself ends without an exception");
            Assert.That(moved[0].JobId, Is.EqualTo(DialJobId));
            Assert.That(moved[0].State, Is.TypeOf<ScheduledState>());
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_ClaimTakenOverByAnotherRunBeforeSending_SendsNothing()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        var transitions = jobs.Service<CallTransitions>();
        jobs.Store.AfterUpdate(
            call => call.LastAttempt is { SentAt: null, Outcome: null } claim && claim.ClaimToken != "other-run",
            async claimed =>
            {
                // Another run of the job (fetched again) finds the claim never sent: gives it back and claims it anew.
                await transitions.ApplyAsync(CallId, new GiveBackAttempt(claimed.LastAttempt!, "its dialer stopped before sending it", MarkedByThisRun: false), CancellationToken.None);
                await transitions.ApplyAsync(CallId, new ClaimAttempt(1, DialJobId, "other-run"), CancellationToken.None);
            });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(call.LastAttempt!.ClaimToken, Is.EqualTo("other-run"));
            Assert.That(call.LastAttempt.SentAt, Is.Null);
            Assert.That(slots, Is.EqualTo(1), "kept for the run that dials");
        });
    }

    [Test]
    public async Task ExecuteAsync_AttemptClaimedByAnotherRunWhileWaitingAtTheGates_SendsNothingAndKeepsTheOtherRunsSlot()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        var transitions = jobs.Service<CallTransitions>();
        jobs.Store.AfterUpdate(
            call => call.Attempts.Count == 0,
            async _ =>
            {
                // Another run of the same call passes the gates first and claims attempt 1.
                await jobs.Capacity.TryAcquireSlotAsync(CallId, 100, TimeSpan.FromMinutes(10), queueOrder: 0, CancellationToken.None);
                await transitions.ApplyAsync(CallId, new ClaimAttempt(1, DialJobId, "other-run"), CancellationToken.None);
            });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.LastAttempt!.ClaimToken, Is.EqualTo("other-run"));
            Assert.That(slots, Is.EqualTo(1), "the other run dials on it");
        });
    }

    [Test]
    public async Task ExecuteAsync_CallCancelledWhileWaitingAtTheGates_SendsNothingAndFreesTheSlot()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        var transitions = jobs.Service<CallTransitions>();
        jobs.Store.AfterUpdate(
            call => call.Attempts.Count == 0,
            _ => transitions.ApplyAsync(CallId, new CancelCall("Cancelled via the API"), CancellationToken.None));

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_NoSlotFreesWithinTheWait_ReschedulesWithoutUsingAnAttempt()
    {
        await using var jobs = await StartAsync(new Dictionary<string, string?> { ["MAX_CONCURRENT_CALLS"] = "1", ["SLOT_WAIT_SECONDS"] = "30" });
        await jobs.SeedAsync(Call());
        await jobs.Capacity.TryAcquireSlotAsync("call_other", 1, TimeSpan.FromMinutes(10), queueOrder: 0, CancellationToken.None);

        // The job runs up to its wait for a freed slot before DialAsync returns; the wait runs out on the fake clock.
        var dialing = jobs.DialAsync();
        jobs.Time.Advance(TimeSpan.FromSeconds(31));
        var wait = Assert.ThrowsAsync<DialWaitException>(() => dialing.WaitAsync(TimeSpan.FromSeconds(10)))!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(wait.Message, Is.EqualTo("Waiting for a call slot (1 of 1 in use)"));
            Assert.That(wait.Delay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(slots, Is.EqualTo(1), "the other call's");
        });
    }

    [Test]
    public async Task ExecuteAsync_RateWaitTooLong_GivesTheClaimBackAndFreesTheSlot()
    {
        await using var jobs = await StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_PER_SECOND"] = "0.1" });
        await jobs.SeedAsync(Call());
        Assert.That(await jobs.Capacity.TryTakeRateTokenAsync(0.1, CancellationToken.None), Is.EqualTo(TimeSpan.Zero), "another dialer's request just left");

        var wait = Assert.ThrowsAsync<DialWaitException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(wait.Message, Is.EqualTo("Rate limited (0.1 calls per second)"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.StatusReason, Is.EqualTo("Attempt 1 was not sent (waiting for the rate limiter); waiting to dial"));
            Assert.That(call.Attempts, Is.Empty, "waiting is not an attempt");
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_RateWaitRunsOutAfterAnotherRunTookTheClaimOver_KeepsTheOtherRunsSlot()
    {
        await using var jobs = await StartAsync(new Dictionary<string, string?> { ["RATE_LIMIT_PER_SECOND"] = "0.1" });
        await jobs.SeedAsync(Call());
        Assert.That(await jobs.Capacity.TryTakeRateTokenAsync(0.1, CancellationToken.None), Is.EqualTo(TimeSpan.Zero), "another dialer's request just left");
        var transitions = jobs.Service<CallTransitions>();
        jobs.Store.AfterUpdate(
            call => call.LastAttempt is { SentAt: null, Outcome: null } claim && claim.ClaimToken != "other-run",
            async claimed =>
            {
                await transitions.ApplyAsync(CallId, new GiveBackAttempt(claimed.LastAttempt!, "its dialer stopped before sending it", MarkedByThisRun: false), CancellationToken.None);
                await transitions.ApplyAsync(CallId, new ClaimAttempt(1, DialJobId, "other-run"), CancellationToken.None);
            });

        Assert.ThrowsAsync<DialWaitException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(call.LastAttempt!.ClaimToken, Is.EqualTo("other-run"), "the other run's claim is not given back");
            Assert.That(slots, Is.EqualTo(1), "the other run dials on it");
        });
    }

    [Test]
    public async Task ExecuteAsync_RateGrantGoneStaleBeforeSending_TakesANewGrantAndSendsOnce()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());

        // The worker stalls between its grant and its send for longer than DialGates.SendDeadline.
        jobs.Store.AfterUpdate(
            call => call.LastAttempt is { SentAt: not null, RequestUuid: null },
            _ =>
            {
                jobs.Time.Advance(TimeSpan.FromMilliseconds(200));
                return Task.CompletedTask;
            });

        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        var grants = await jobs.Capacity.CountGrantsAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(grants, Is.EqualTo(2), "a new grant for the late request");
            Assert.That(call.LastAttempt!.SentAt, Is.EqualTo(Start.AddMilliseconds(200)), "marked again under the new grant");
            Assert.That(call.LastAttempt.RequestUuid, Is.EqualTo("req-accepted"));
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
