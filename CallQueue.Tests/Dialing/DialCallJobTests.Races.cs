using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Tests.Support;
using Hangfire.States;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Dialing;

// The dial job racing other writers: Plivo's callbacks during the request, other runs of the same call, a cancel, the slot and rate gates.
public sealed partial class DialCallJobTests
{
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
}
