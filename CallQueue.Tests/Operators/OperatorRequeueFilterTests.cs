using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Operators;
using CallQueue.Tests.Support;
using Hangfire.Common;
using Hangfire.States;
using static CallQueue.Tests.Support.JobsInProcess;

namespace CallQueue.Tests.Operators;

/// <summary>
/// Each decision of the dashboard's Requeue of a dial job: a real state election context over Hangfire.InMemory, the
/// filter on the jobs' real registration with the in-memory call store. The wiring (the dashboard's ChangeState reaches the
/// filter, the requeued job dials) is proven end to end by <see cref="OperatorRequeueFilterEndToEndTests"/>.
/// </summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class OperatorRequeueFilterTests
{
    private static readonly Job DialJob = Job.FromExpression<DialCallJob>(job => job.DialAsync(CallId));

    [TestCase(CallStatus.Failed, CallOutcome.Busy, "Failed")]
    [TestCase(CallStatus.Unknown, CallOutcome.Unknown, "Failed")]
    [TestCase(CallStatus.Cancelled, CallOutcome.Cancelled, "Deleted")]
    public async Task OnStateElection_EndedUnansweredCall_QueuesItWithAFreshBudgetAndResetsRetryCount(CallStatus status, CallOutcome outcome, string fromState)
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob, new Dictionary<string, string> { ["RetryCount"] = "3" });
        await jobs.SeedAsync(Call(status, maxRetries: 0, Ended(1, outcome)) with { JobId = jobId, StatusReason = "Busy after 1 attempt" });
        var requeue = DashboardRequeue();
        var context = hangfire.ElectState(jobId, requeue, fromState);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(requeue), "the job is enqueued");
            Assert.That(requeue.Reason, Is.EqualTo("Requeued by operator via the dashboard: next attempt 2 of 2"));
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.EqualTo("0"), "a fresh budget for Hangfire's own retries too");
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.StatusReason, Is.EqualTo("Requeued by operator"));
            Assert.That(call.AttemptOffset, Is.EqualTo(1));
            Assert.That(call.Attempts, Has.Count.EqualTo(1), "its history kept");
            Assert.That(call.Notes!.Single().Text, Does.StartWith($"Requeued by operator via the dashboard after 1 attempt (was {status.ToWire()}: Busy after 1 attempt)"));
        });
    }

    [Test]
    public async Task OnStateElection_RequeuedThroughTheApi_SaysSoInTheJobsReason()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob);
        await jobs.SeedAsync(Call(CallStatus.Failed, maxRetries: 1, Ended(1, CallOutcome.Busy)) with { JobId = jobId });
        var requeue = new EnqueuedState { Reason = CallRequeue.ApiStateReason };
        var context = hangfire.ElectState(jobId, requeue, FailedState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(requeue.Reason, Is.EqualTo("Requeued by operator via the API: next attempt 2 of 3"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(call.Notes!.Single().Text, Does.StartWith("Requeued by operator via the API"));
        });
    }

    [Test]
    public async Task OnStateElection_CompletedCall_SendsTheJobBackToSucceededWithTheRefusal()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob, new Dictionary<string, string> { ["RetryCount"] = "2" });
        var seeded = Call(CallStatus.Completed, maxRetries: 0, Ended(1, CallOutcome.Answered)) with { JobId = jobId };
        await jobs.SeedAsync(seeded);
        var context = hangfire.ElectState(jobId, DashboardRequeue(), SucceededState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.TypeOf<SucceededState>());
            Assert.That(context.CandidateState.Reason, Is.EqualTo("Call already completed: not dialed again"));
            Assert.That(call, Is.SameAs(seeded), "not written at all");
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.EqualTo("2"));
        });
    }

    [TestCase("Failed", typeof(FailedState))]
    [TestCase("Succeeded", typeof(DeletedState))]
    public async Task OnStateElection_CancelledCallWhoseAttemptIsStillOpen_SendsTheJobBackWithTheRefusal(string fromState, Type elected)
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob);
        var placed = new CallAttempt { Number = 1, StartedAt = Start.AddMinutes(-1), JobId = jobId, ClaimToken = "t1", SentAt = Start.AddMinutes(-1), RequestUuid = "req-1" };
        var seeded = Call(CallStatus.Cancelled, maxRetries: 0, placed) with { JobId = jobId };
        await jobs.SeedAsync(seeded);
        var context = hangfire.ElectState(jobId, DashboardRequeue(), fromState);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.TypeOf(elected));
            Assert.That(context.CandidateState.Reason, Is.EqualTo("Call is cancelled but its attempt 1 has not ended at Plivo yet: requeue it once its hangup is recorded"));
            Assert.That(call, Is.SameAs(seeded));
        });
    }

    [Test]
    public async Task OnStateElection_AnotherJobsCall_IsLeftAlone()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob, new Dictionary<string, string> { ["RetryCount"] = "3" });
        var seeded = Call(CallStatus.Failed, maxRetries: 0, Ended(1, CallOutcome.Busy)) with { JobId = "job-of-a-later-requeue" };
        await jobs.SeedAsync(seeded);
        var requeue = DashboardRequeue();
        var context = hangfire.ElectState(jobId, requeue, FailedState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(requeue), "the job runs, and finds the call is not its own");
            Assert.That(requeue.Reason, Is.EqualTo(CallRequeue.DashboardStateReason));
            Assert.That(call, Is.SameAs(seeded), "not written at all");
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.EqualTo("3"));
        });
    }

    [Test]
    public async Task OnStateElection_DialJobStoredBeforeDialAsync_IsRequeuedToo()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(Job.FromExpression<DialCallJob>(job => job.ExecuteAsync(CallId, null, CancellationToken.None)));
        await jobs.SeedAsync(Call(CallStatus.Failed, maxRetries: 0, Ended(1, CallOutcome.Busy)) with { JobId = jobId });
        var requeue = DashboardRequeue();
        var context = hangfire.ElectState(jobId, requeue, FailedState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(requeue));
            Assert.That(requeue.Reason, Is.EqualTo("Requeued by operator via the dashboard: next attempt 2 of 2"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Queued));
        });
    }

    [Test]
    public async Task OnStateElection_NotADialJob_IsLeftAlone()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(Job.FromExpression<NotifyAgentJob>(job => job.RunAsync(CallId, 1, CancellationToken.None)));
        var seeded = Call(CallStatus.Failed, maxRetries: 0, Ended(1, CallOutcome.Busy)) with { JobId = null };
        await jobs.SeedAsync(seeded);
        var requeue = DashboardRequeue();
        var context = hangfire.ElectState(jobId, requeue, FailedState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(requeue));
            Assert.That(requeue.Reason, Is.EqualTo(CallRequeue.DashboardStateReason));
            Assert.That(call, Is.SameAs(seeded));
        });
    }

    [Test]
    public async Task OnStateElection_ScheduledRetryFallingDue_IsNotARequeue()
    {
        await using var jobs = await StartAsync();
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DialJob);
        var seeded = Call(CallStatus.Retry, maxRetries: 2, Ended(1, CallOutcome.Busy)) with { JobId = jobId, NextAttemptAt = Start };
        await jobs.SeedAsync(seeded);
        var due = new EnqueuedState { Reason = "Triggered by DelayedJobScheduler" };
        var context = hangfire.ElectState(jobId, due, ScheduledState.StateName);

        new OperatorRequeueFilter(jobs.Services).OnStateElection(context);

        var call = await jobs.CallAsync();
        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(due));
            Assert.That(due.Reason, Is.EqualTo("Triggered by DelayedJobScheduler"));
            Assert.That(call, Is.SameAs(seeded));
        });
    }

    private static EnqueuedState DashboardRequeue() => new() { Reason = CallRequeue.DashboardStateReason };

    private static CallAttempt Ended(int number, CallOutcome outcome) => new()
    {
        Number = number,
        StartedAt = Start.AddMinutes(-30),
        ClaimToken = "t" + number,
        SentAt = Start.AddMinutes(-30),
        RequestUuid = "req-" + number,
        Outcome = outcome,
        EndedAt = Start.AddMinutes(-29),
        ResultSource = "hangup callback",
    };
}
