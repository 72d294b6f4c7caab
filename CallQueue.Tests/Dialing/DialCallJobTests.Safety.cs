using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Safety;
using Hangfire.States;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Dialing;

// Callee safety right before the Plivo request (issue 11), on the fake clock: JobsInProcess starts on Monday
// 2026-12-07 10:00 UTC, which is 02:00 in San Francisco (+1 415…, America/Los_Angeles, UTC-8 in December).
public sealed partial class DialCallJobTests
{
    private static readonly Dictionary<string, string?> HoursOn = new()
    {
        ["CALLING_HOURS"] = "09:00-21:00",
        ["LEGAL_CALLING_HOURS"] = "on",
    };

    // 09:00 in San Francisco on the start's day.
    private static readonly DateTimeOffset Opening = new(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task ExecuteAsync_OutsideTheCalleesHours_HoldsTheCallUntilTheOpeningWithoutAnAttempt()
    {
        await using var jobs = await StartAsync(HoursOn);
        await jobs.SeedAsync(Call());

        var held = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        const string reason = "Outside calling hours in America/Los_Angeles (09:00–21:00): dials from 2026-12-07 09:00 -08:00";
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty, "nobody is rung at 2 a.m.");
            Assert.That(held!.Delay, Is.EqualTo(Opening - Start), "parked once, until the opening");
            Assert.That(held.Message, Is.EqualTo(reason), "the dashboard's reason");
            Assert.That(call.Status, Is.EqualTo(CallStatus.Scheduled));
            Assert.That(call.StatusReason, Is.EqualTo(reason));
            Assert.That(call.NextAttemptAt, Is.EqualTo(Opening));
            Assert.That(call.Hold, Is.EqualTo(new CallHold(SafetyRule.CallingHours, Opening)));
            Assert.That(call.Attempts, Is.Empty, "waiting is not an attempt");
            Assert.That(call.Decisions, Has.Count.EqualTo(1));
            Assert.That(call.Decisions![0], Is.EqualTo(new SafetyDecision(Start, SafetyRule.CallingHours, reason)));
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_AtTheOpeningToTheMinute_Dials()
    {
        await using var jobs = await StartAsync(HoursOn);
        await jobs.SeedAsync(Call());
        jobs.Time.SetUtcNow(Opening.AddMinutes(-1));
        Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync(), "08:59 is still closed");
        jobs.Plivo.AcceptsWith("req-1");

        jobs.Time.SetUtcNow(Opening);
        await jobs.DialAsync();

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing));
            Assert.That(call.Hold, Is.Null, "no longer held");
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task ExecuteAsync_PastItsDeadline_ExpiresWithoutDialing()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call() with { ExpiresAt = Start.AddSeconds(-1) });

        var stopped = Assert.ThrowsAsync<DialStoppedException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Expired));
            Assert.That(call.StatusReason, Does.StartWith("Expired: not placed before its expires_at (2026-12-07 09:59:59 +00:00)"));
            Assert.That(stopped!.Message, Is.EqualTo(call.StatusReason), "the job is Deleted with the same reason");
            Assert.That(call.Decisions!.Single().Rule, Is.EqualTo(SafetyRule.Deadline));
        });
    }

    [Test]
    public async Task ExecuteAsync_HoursNeverOpenBeforeTheDeadline_WaitsForTheDeadlineThenExpires()
    {
        await using var jobs = await StartAsync(HoursOn);
        var deadline = Opening.AddMinutes(-30);
        await jobs.SeedAsync(Call() with { ExpiresAt = deadline });

        var held = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync());
        var waiting = await jobs.CallAsync();
        jobs.Time.SetUtcNow(deadline);
        Assert.ThrowsAsync<DialStoppedException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(held!.Delay, Is.EqualTo(deadline - Start));
            Assert.That(waiting.StatusReason, Does.Contain("do not open again before its expires_at, so it expires at 2026-12-07 16:30:00 +00:00"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Expired));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Decisions!.Select(d => d.Rule), Is.EqualTo(new[] { SafetyRule.CallingHours, SafetyRule.Deadline }));
        });
    }

    [Test]
    public async Task ExecuteAsync_NumberListedAfterTheCallWasQueued_BlocksItWithTheEntrysReason()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        await jobs.Service<IDoNotCallList>().AddAsync([PhoneNumber], new DoNotCallEntry(null, "asked to stop", DoNotCallSource.Agent, Start), CancellationToken.None);

        Assert.ThrowsAsync<DialStoppedException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Blocked));
            Assert.That(call.StatusReason, Is.EqualTo("Blocked: on the do-not-call list for every campaign (reason: asked to stop; added by agent at 2026-12-07 10:00 UTC)"));
            Assert.That(call.Decisions!.Single().Rule, Is.EqualTo(SafetyRule.DoNotCall));
            Assert.That(slots, Is.Zero);
        });
    }

    [Test]
    public async Task ExecuteAsync_AnotherCampaignsCallToTheNumberIsLive_WaitsUntilItEndsThenTheGap()
    {
        await using var jobs = await StartAsync(new Dictionary<string, string?> { ["ONE_CALL_PER_NUMBER"] = "on", ["NUMBER_MIN_GAP_SECONDS"] = "60" });
        await jobs.SeedAsync(Call());
        await jobs.SeedAsync(Call() with { CallId = "call_2", CampaignId = "campaign-2", JobId = "job-2" });
        jobs.Plivo.AcceptsWith("req-1");
        await jobs.DialAsync();

        var busy = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync("call_2", "job-2"));
        var held = await jobs.CallAsync("call_2");
        await jobs.Service<AttemptSettler>().SettleAsync(CallId, 1, Busy("req-1"), CancellationToken.None);
        var woken = jobs.Jobs.StateChanges.Where(change => change.JobId == "job-2").ToList();
        var resting = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync("call_2", "job-2"));
        var rested = await jobs.CallAsync("call_2");
        jobs.Time.Advance(TimeSpan.FromSeconds(60));
        await jobs.DialAsync("call_2", "job-2");

        Assert.Multiple(() =>
        {
            Assert.That(held.Status, Is.EqualTo(CallStatus.Scheduled));
            Assert.That(held.Hold!.Rule, Is.EqualTo(SafetyRule.NumberBusy));
            Assert.That(held.StatusReason, Does.StartWith("Number busy: another call to it (call_1) is dialing, ringing or in progress"));
            Assert.That(held.Attempts, Is.Empty);
            Assert.That(busy!.Delay, Is.GreaterThan(TimeSpan.FromMinutes(10)), "at the latest when the live call's lease runs out");
            Assert.That(woken, Has.Count.EqualTo(1), "the live call's end wakes the waiting one");
            Assert.That(woken[0].State, Is.InstanceOf<ScheduledState>());
            Assert.That(((ScheduledState)woken[0].State).EnqueueAt, Is.EqualTo(Start.AddSeconds(60).UtcDateTime).Within(TimeSpan.FromSeconds(1)));
            Assert.That(woken[0].ExpectedState, Is.EqualTo(ScheduledState.StateName), "only a job still waiting moves");
            Assert.That(resting!.Delay, Is.EqualTo(TimeSpan.FromSeconds(60)));
            Assert.That(rested.Hold!.Rule, Is.EqualTo(SafetyRule.NumberGap));
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(2), "call_2 dials once the gap has passed");
        });
    }

    [Test]
    public async Task ExecuteAsync_DailyCapReached_WaitsUntilTheOldestAttemptIs24HoursOld()
    {
        await using var jobs = await StartAsync(new Dictionary<string, string?> { ["MAX_ATTEMPTS_PER_NUMBER_PER_DAY"] = "1" });
        await jobs.SeedAsync(Call());
        await jobs.SeedAsync(Call() with { CallId = "call_2", CampaignId = "campaign-2", JobId = "job-2" });
        jobs.Plivo.AcceptsWith("req-1");
        await jobs.DialAsync();
        await jobs.Service<AttemptSettler>().SettleAsync(CallId, 1, Answered("req-1", seconds: 30), CancellationToken.None);
        jobs.Time.Advance(TimeSpan.FromHours(1));

        var capped = Assert.ThrowsAsync<DialRetryException>(() => jobs.DialAsync("call_2", "job-2"));

        var call = await jobs.CallAsync("call_2");
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
            Assert.That(call.Hold!.Rule, Is.EqualTo(SafetyRule.NumberCap));
            Assert.That(capped!.Delay, Is.EqualTo(TimeSpan.FromHours(23)));
            Assert.That(call.StatusReason, Does.StartWith("Number capped: its attempts in the last 24 h reached MAX_ATTEMPTS_PER_NUMBER_PER_DAY"));
        });
    }

    [Test]
    public async Task SettleAsync_RetryWouldFallAfterHours_MovesToTheNextOpening()
    {
        await using var jobs = await StartAsync(HoursOn);
        var late = new DateTimeOffset(2026, 12, 8, 4, 58, 0, TimeSpan.Zero); // 20:58 in San Francisco
        jobs.Time.SetUtcNow(late);
        await jobs.SeedAsync(Call(maxRetries: 2));
        jobs.Plivo.AcceptsWith("req-1");
        await jobs.DialAsync();

        await jobs.Service<AttemptSettler>().SettleAsync(CallId, 1, Busy("req-1"), CancellationToken.None);

        var call = await jobs.CallAsync();
        var nextOpening = new DateTimeOffset(2026, 12, 8, 17, 0, 0, TimeSpan.Zero);
        var moved = jobs.Jobs.StateChanges.Last(change => change.JobId == DialJobId);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Retry));
            Assert.That(call.NextAttemptAt, Is.EqualTo(nextOpening), "21:00 closes the window: 20:58 + 5 min is not dialed, 09:00 is");
            Assert.That(call.StatusReason, Does.Contain("moved to the next opening of its calling hours, 2026-12-08 17:00:00 +00:00"));
            Assert.That(((ScheduledState)moved.State).Reason, Is.EqualTo(call.StatusReason), "the job is scheduled with the same reason");
        });
    }

    [Test]
    public async Task SettleAsync_RetryWouldFallPastTheDeadline_ExpiresInstead()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(maxRetries: 2) with { ExpiresAt = Start.AddMinutes(3) });
        jobs.Plivo.AcceptsWith("req-1");
        await jobs.DialAsync();

        await jobs.Service<AttemptSettler>().SettleAsync(CallId, 1, Busy("req-1"), CancellationToken.None);

        var call = await jobs.CallAsync();
        var moved = jobs.Jobs.StateChanges.Last(change => change.JobId == DialJobId);
        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Expired));
            Assert.That(call.StatusReason, Does.Contain("not retried: its next try (in 5 min) would fall after its expires_at"));
            Assert.That(call.NextAttemptAt, Is.Null);
            Assert.That(moved.State, Is.InstanceOf<DeletedState>());
        });
    }
}
