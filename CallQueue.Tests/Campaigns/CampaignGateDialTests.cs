using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Campaigns;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Queues;
using CallQueue.Tests.Support;
using Hangfire.Common;
using Hangfire.States;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Campaigns;

/// <summary>
/// The dial job's campaign gate (issue 12), in-process (<see cref="JobsInProcess"/>: the real registration on the
/// in-memory store and campaign states, Plivo scripted): a call of a paused campaign or batch is parked without a
/// request or an attempt, one of a cancelled campaign is cancelled, and a pause that lands after the call took its slot
/// sends nothing (the check right before the request leaves).
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class CampaignGateDialTests
{
    private static readonly Job DialJob = Job.FromExpression<DialCallJob>(job => job.DialAsync(CallId));

    [Test]
    public async Task ExecuteAsync_CampaignPaused_ParksTheCallWithoutARequestOrAnAttempt()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Paused);

        var parked = Assert.ThrowsAsync<DialParkedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        var parkedIds = await jobs.Service<ICampaignStates>().PeekParkedAsync(ControlTarget.Campaign("campaign-1"), 10, CancellationToken.None);
        var elected = ElectedState(parked);
        Assert.Multiple(() =>
        {
            Assert.That(parked.Message, Is.EqualTo("Campaign campaign-1 paused"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued), "keeps its status");
            Assert.That(call.StatusReason, Is.EqualTo("Campaign campaign-1 paused"));
            Assert.That(call.Attempts, Is.Empty, "no attempt used");
            Assert.That(slots, Is.Zero);
            Assert.That(parkedIds, Is.EqualTo(new[] { CallId }), "in the parked set, for the resume");
            Assert.That(elected, Is.TypeOf<ParkedState>());
            Assert.That(elected.Reason, Is.EqualTo("Campaign campaign-1 paused"));
            Assert.That(elected.IsFinal, Is.False, "a parked job never expires");
        });
    }

    [Test]
    public async Task ExecuteAsync_RetryOfAPausedCampaign_KeepsItsStatusAndAttempts()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call(CallStatus.Retry, maxRetries: 2, BusyAttempt()) with { NextAttemptAt = Start });
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Paused);

        Assert.ThrowsAsync<DialParkedException>(() => jobs.DialAsync());

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That((call.Status, call.Attempts.Count, call.NextAttemptAt), Is.EqualTo((CallStatus.Retry, 1, (DateTimeOffset?)null)));
        });
    }

    [Test]
    public async Task ExecuteAsync_BatchPaused_ParksTheCallUnderTheBatch()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call() with { BatchId = "batch-1" });
        await ChangeAsync(jobs, ControlTarget.Batch("batch-1"), CampaignState.Active, CampaignState.Paused);

        var parked = Assert.ThrowsAsync<DialParkedException>(() => jobs.DialAsync())!;

        var states = jobs.Service<ICampaignStates>();
        var underBatch = await states.PeekParkedAsync(ControlTarget.Batch("batch-1"), 10, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(parked.Message, Is.EqualTo("Batch batch-1 paused"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(underBatch, Is.EqualTo(new[] { CallId }));
        });
    }

    [Test]
    public async Task ExecuteAsync_CampaignCancelled_CancelsTheCallAndDeletesItsJob()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Cancelled);

        var stopped = Assert.ThrowsAsync<DialStoppedException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        var elected = ElectedState(stopped);
        Assert.Multiple(() =>
        {
            Assert.That(stopped.Message, Is.EqualTo("Campaign campaign-1 cancelled"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(call.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(call.StatusReason, Is.EqualTo("Campaign campaign-1 cancelled"));
            Assert.That(call.Attempts, Is.Empty);
            Assert.That(slots, Is.Zero);
            Assert.That(elected, Is.TypeOf<DeletedState>());
            Assert.That(elected.Reason, Is.EqualTo("Campaign campaign-1 cancelled"));
        });
    }

    [Test]
    public async Task ExecuteAsync_PauseLandsAfterTheCallTookItsSlot_SendsNothingGivesTheAttemptBackAndParksOnTheNextRun()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        var states = jobs.Service<ICampaignStates>();

        // The operator pauses right after the worker claimed its attempt, while it waits for its rate token.
        jobs.Store.AfterUpdate(
            call => call.LastAttempt is { SentAt: null, Outcome: null },
            _ => ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Paused));

        var wait = Assert.ThrowsAsync<DialWaitException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        var slots = await jobs.SlotsHeldAsync();
        Assert.Multiple(() =>
        {
            Assert.That(wait.Message, Is.EqualTo("Campaign campaign-1 paused while the call waited to be sent: nothing sent"));
            Assert.That(wait.Delay, Is.EqualTo(TimeSpan.FromSeconds(1)), "back in a second, to be parked then");
            Assert.That(jobs.Plivo.Requests, Is.Empty, "the final check");
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.Attempts, Is.Empty, "the attempt is given back");
            Assert.That(slots, Is.Zero, "and the slot");
        });

        var parked = Assert.ThrowsAsync<DialParkedException>(() => jobs.DialAsync())!;

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(parked.Message, Is.EqualTo("Campaign campaign-1 paused"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That(await states.PeekParkedAsync(ControlTarget.Campaign("campaign-1"), 10, CancellationToken.None), Is.EqualTo(new[] { CallId }));
        });
    }

    [Test]
    public async Task ExecuteAsync_CancelLandsAfterTheCallTookItsSlot_SendsNothing()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        jobs.Store.AfterUpdate(
            call => call.LastAttempt is { SentAt: null, Outcome: null },
            _ => ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Cancelled));

        var wait = Assert.ThrowsAsync<DialWaitException>(() => jobs.DialAsync())!;

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(wait.Message, Is.EqualTo("Campaign campaign-1 cancelled while the call waited to be sent: nothing sent"));
            Assert.That(jobs.Plivo.Requests, Is.Empty);
            Assert.That((call.Status, call.Attempts.Count), Is.EqualTo((CallStatus.Queued, 0)));
        });
    }

    [Test]
    public async Task ExecuteAsync_CampaignResumed_Dials()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call());
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Active, CampaignState.Paused);
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-1"), CampaignState.Paused, CampaignState.Active);
        jobs.Plivo.AcceptsWith("req-1");

        await jobs.DialAsync();

        Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ExecuteAsync_OtherCampaignPaused_Dials()
    {
        await using var jobs = await StartAsync();
        await jobs.SeedAsync(Call() with { BatchId = "batch-1" });
        await ChangeAsync(jobs, ControlTarget.Campaign("campaign-2"), CampaignState.Active, CampaignState.Paused);
        await ChangeAsync(jobs, ControlTarget.Batch("batch-2"), CampaignState.Active, CampaignState.Cancelled);
        jobs.Plivo.AcceptsWith("req-1");

        await jobs.DialAsync();

        Assert.That(jobs.Plivo.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void ParkOrder_HigherPriorityFirstThenFirstQueuedFirst()
    {
        var normalEarly = Call() with { Priority = CallPriority.Normal, CreatedAt = Start };
        var normalLate = Call() with { Priority = CallPriority.Normal, CreatedAt = Start.AddMinutes(1) };
        var highLate = Call() with { Priority = CallPriority.High, CreatedAt = Start.AddDays(30) };
        var urgent = Call() with { Priority = CallPriority.Urgent, CreatedAt = Start.AddDays(365) };
        var low = Call() with { Priority = CallPriority.Low, CreatedAt = Start.AddDays(-365) };

        var order = new[] { low, normalLate, highLate, normalEarly, urgent }.OrderBy(CampaignGate.ParkOrder).ToList();

        Assert.That(order.Select(call => (call.Priority, call.CreatedAt)), Is.EqualTo(new[] { urgent, highLate, normalEarly, normalLate, low }.Select(call => (call.Priority, call.CreatedAt))));
    }

    /// <summary>Attempt 1, placed and ended busy a minute before the clock's start.</summary>
    private static CallAttempt BusyAttempt() => new()
    {
        Number = 1,
        StartedAt = Start.AddMinutes(-2),
        JobId = DialJobId,
        ClaimToken = "t1",
        SentAt = Start.AddMinutes(-2),
        RequestUuid = "req-1",
        AcceptedAt = Start.AddMinutes(-2),
        EndedAt = Start.AddMinutes(-1),
        Outcome = CallOutcome.Busy,
        ResultSource = "hangup callback",
    };

    private static async Task ChangeAsync(JobsInProcess jobs, ControlTarget target, CampaignState from, CampaignState to)
    {
        var (changed, _) = await jobs.Service<ICampaignStates>().ChangeAsync(target, [from], to, CancellationToken.None);
        Assert.That(changed, Is.True, $"{target} {from} → {to}");
    }

    /// <summary>The Hangfire state the dial job's retry filter elects for a run that ended with <paramref name="exception"/>.</summary>
    private static IState ElectedState(Exception exception)
    {
        using var hangfire = new HangfireContexts();
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), new FailedState(exception), ProcessingState.StateName);
        new DialRetryFilter().OnStateElection(context);
        return context.CandidateState;
    }
}
