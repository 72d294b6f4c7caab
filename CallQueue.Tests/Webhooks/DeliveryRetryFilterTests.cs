using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Support;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Tests.Webhooks;

/// <summary>What the delivery job's exceptions become in Hangfire: the state elected for a failed run, on that job only.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class DeliveryRetryFilterTests
{
    private static readonly Job DeliveryJob = Job.FromExpression<DeliverWebhookJob>(job => job.RunAsync("evt_1", null, CancellationToken.None));

    [Test]
    public void OnStateElection_DeliveryRetryException_SchedulesTheJobAfterItsDelayWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        const string Reason = "Webhook call.completed to https://backend.example.com/hooks: 500 Internal Server Error on try 1 → try 2 in 5 s";
        var context = hangfire.ElectState(hangfire.CreateJob(DeliveryJob), new FailedState(new DeliveryRetryException(Reason, TimeSpan.FromSeconds(5))), ProcessingState.StateName);

        var before = DateTime.UtcNow;
        new DeliveryRetryFilter().OnStateElection(context);
        var after = DateTime.UtcNow;

        var scheduled = context.CandidateState as ScheduledState;
        Assert.That(scheduled, Is.Not.Null, $"elected {context.CandidateState.Name}");
        Assert.Multiple(() =>
        {
            Assert.That(scheduled!.EnqueueAt, Is.InRange(before.AddSeconds(5), after.AddSeconds(5)));
            Assert.That(scheduled.Reason, Is.EqualTo(Reason));
        });
    }

    [Test]
    public void OnStateElection_DeliveryStoppedException_DeletesTheJobWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        const string Reason = "Webhook call.completed Not sent: https://backend.example.com/hooks answered 410 Gone at 2026-12-07 10:00:00 UTC";
        var context = hangfire.ElectState(hangfire.CreateJob(DeliveryJob), new FailedState(new DeliveryStoppedException(Reason)), ProcessingState.StateName);

        new DeliveryRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.InstanceOf<DeletedState>());
            Assert.That(context.CandidateState.Reason, Is.EqualTo(Reason));
        });
    }

    [Test]
    public void OnStateElection_DeliveryFailedException_StaysFailedWithItsMessageAsReason()
    {
        using var hangfire = new HangfireContexts();
        var failed = new FailedState(new DeliveryFailedException("Webhook call.completed to https://backend.example.com/hooks failed after 8 tries: 500 Internal Server Error"));
        var context = hangfire.ElectState(hangfire.CreateJob(DeliveryJob), failed, ProcessingState.StateName);

        new DeliveryRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(failed));
            Assert.That(failed.Reason, Is.EqualTo("Webhook call.completed to https://backend.example.com/hooks failed after 8 tries: 500 Internal Server Error"));
        });
    }

    [Test]
    public void OnStateElection_AnyOtherException_LeavesTheStateAlone()
    {
        using var hangfire = new HangfireContexts();
        var failed = new FailedState(new TimeoutException("outbox did not answer"));
        var context = hangfire.ElectState(hangfire.CreateJob(DeliveryJob), failed, ProcessingState.StateName);

        new DeliveryRetryFilter().OnStateElection(context);

        Assert.That(context.CandidateState, Is.SameAs(failed));
    }

    [Test]
    public void Filters_DeliveryJobAndOthers_OnlyTheDeliveryJobHasTheFilter()
    {
        var dial = Job.FromExpression<DialCallJob>(job => job.DialAsync("call_1"));

        Assert.Multiple(() =>
        {
            Assert.That(JobFilterProviders.Providers.GetFilters(DeliveryJob).Select(filter => filter.Instance), Has.One.InstanceOf<DeliveryRetryFilter>());
            Assert.That(JobFilterProviders.Providers.GetFilters(dial).Select(filter => filter.Instance), Has.None.InstanceOf<DeliveryRetryFilter>());
        });
    }

    [Test]
    public void Elect_RetryWithHangfiresFilters_IsScheduledByTheScheduleNotByAutomaticRetry()
    {
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DeliveryJob);

        var state = hangfire.Elect(jobId, new FailedState(new DeliveryRetryException("try 2 in 5 min", TimeSpan.FromMinutes(5))), JobFilterProviders.Providers);

        Assert.Multiple(() =>
        {
            Assert.That(state.Name, Is.EqualTo(ScheduledState.StateName));
            Assert.That(state.Reason, Is.EqualTo("try 2 in 5 min"));
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.Null, "AutomaticRetry did not count it");
        });
    }

    [Test]
    public void Elect_GivenUpWithHangfiresFilters_StaysFailedWithoutAnAutomaticRetry()
    {
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DeliveryJob);

        var state = hangfire.Elect(jobId, new FailedState(new DeliveryFailedException("failed after 8 tries: 500 Internal Server Error")), JobFilterProviders.Providers);

        Assert.Multiple(() =>
        {
            Assert.That(state.Name, Is.EqualTo(FailedState.StateName));
            Assert.That(state.Reason, Is.EqualTo("failed after 8 tries: 500 Internal Server Error"));
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.Null);
        });
    }

    [Test]
    public void Elect_UnexpectedFailureWithHangfiresFilters_IsRetriedByAutomaticRetry()
    {
        using var hangfire = new HangfireContexts();
        var jobId = hangfire.CreateJob(DeliveryJob);

        var state = hangfire.Elect(jobId, new FailedState(new TimeoutException("outbox did not answer")), JobFilterProviders.Providers);

        Assert.Multiple(() =>
        {
            Assert.That(state.Name, Is.EqualTo(ScheduledState.StateName));
            Assert.That(hangfire.JobParameter(jobId, "RetryCount"), Is.EqualTo("1"));
        });
    }
}
