using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Plivo;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Dialing;

// The dial job when Plivo's answer to a request was lost, and its re-runs on an attempt left open: never sent again blindly.
public sealed partial class DialCallJobTests
{
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
}
