using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Tests.Support;
using Hangfire.Common;
using Hangfire.States;

namespace CallQueue.Tests.Dialing;

/// <summary>What the dial job's exceptions become in Hangfire: the state elected for a failed run.</summary>
[TestFixture]
[Category("Unit")]
[Parallelizable(ParallelScope.All)]
public sealed class DialRetryFilterTests
{
    private static readonly Job DialJob = Job.FromExpression<DialCallJob>(job => job.DialAsync("call_1"));

    [Test]
    public void OnStateElection_DialRetryException_SchedulesTheJobAfterItsDelayWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        var context = FailedRun(hangfire, new DialRetryException("Plivo answered 503 → retry in 30 s (attempt 2 of 3)", TimeSpan.FromSeconds(30), null));

        var before = DateTime.UtcNow;
        new DialRetryFilter().OnStateElection(context);
        var after = DateTime.UtcNow;

        var scheduled = context.CandidateState as ScheduledState;
        Assert.That(scheduled, Is.Not.Null, $"elected {context.CandidateState.Name}");
        Assert.Multiple(() =>
        {
            Assert.That(scheduled!.EnqueueAt, Is.InRange(before.AddSeconds(30), after.AddSeconds(30)));
            Assert.That(scheduled.Reason, Is.EqualTo("Plivo answered 503 → retry in 30 s (attempt 2 of 3)"));
        });
    }

    [Test]
    public void OnStateElection_DialWaitException_SchedulesTheJobAfterItsDelayWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        var context = FailedRun(hangfire, new DialWaitException("Waiting for a call slot (10 of 10 in use)", TimeSpan.FromSeconds(1)));

        var before = DateTime.UtcNow;
        new DialRetryFilter().OnStateElection(context);
        var after = DateTime.UtcNow;

        var scheduled = context.CandidateState as ScheduledState;
        Assert.That(scheduled, Is.Not.Null, $"elected {context.CandidateState.Name}");
        Assert.Multiple(() =>
        {
            Assert.That(scheduled!.EnqueueAt, Is.InRange(before.AddSeconds(1), after.AddSeconds(1)));
            Assert.That(scheduled.Reason, Is.EqualTo("Waiting for a call slot (10 of 10 in use)"));
        });
    }

    [Test]
    public void OnStateElection_DialFailedException_StaysFailedWithItsMessageAsReason()
    {
        using var hangfire = new HangfireContexts();
        var failed = new FailedState(new DialFailedException("Plivo answered 401 Unauthorized. Not retried: fix the request or the account, then requeue."));
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), failed, ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(failed));
            Assert.That(failed.Reason, Is.EqualTo("Plivo answered 401 Unauthorized. Not retried: fix the request or the account, then requeue."));
        });
    }

    [Test]
    public void OnStateElection_DialStoppedException_DeletesTheJobWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        const string reason = "Blocked: on the do-not-call list for every campaign (added by agent at 2026-12-07 10:00 UTC)";
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), new FailedState(new DialStoppedException(reason)), ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.InstanceOf<DeletedState>(), "a decision, not a fault: nothing for a person to retry");
            Assert.That(context.CandidateState.Reason, Is.EqualTo(reason));
        });
    }

    [Test]
    public void OnStateElection_LongDialFailedMessage_ReasonIsCutAt300Characters()
    {
        using var hangfire = new HangfireContexts();
        var message = new string('x', 290) + new string('y', 110);
        var failed = new FailedState(new DialFailedException(message));
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), failed, ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.That(failed.Reason, Is.EqualTo(message[..300]));
    }

    [Test]
    public void OnStateElection_LongRetryMessage_ReasonIsCutAt300Characters()
    {
        using var hangfire = new HangfireContexts();
        var message = new string('r', 400);
        var context = FailedRun(hangfire, new DialRetryException(message, TimeSpan.FromSeconds(30), null));

        new DialRetryFilter().OnStateElection(context);

        Assert.That(context.CandidateState.Reason, Is.EqualTo(message[..300]));
    }

    [Test]
    public void OnStateElection_RetryWrappedInAggregateExceptions_IsUnwrapped()
    {
        using var hangfire = new HangfireContexts();
        var retry = new DialRetryException("Busy → retry in 5 min (attempt 2 of 3)", TimeSpan.FromMinutes(5), null);
        var context = FailedRun(hangfire, new AggregateException(new AggregateException(retry)));

        new DialRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.TypeOf<ScheduledState>());
            Assert.That(context.CandidateState.Reason, Is.EqualTo("Busy → retry in 5 min (attempt 2 of 3)"));
        });
    }

    [Test]
    public void OnStateElection_FailedWrappedInAnAggregateException_StaysFailedWithItsReason()
    {
        using var hangfire = new HangfireContexts();
        var failed = new FailedState(new AggregateException(new DialFailedException("No answer after 3 attempts")));
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), failed, ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(failed));
            Assert.That(failed.Reason, Is.EqualTo("No answer after 3 attempts"));
        });
    }

    [Test]
    public void OnStateElection_OtherException_IsLeftToHangfiresAutomaticRetry()
    {
        using var hangfire = new HangfireContexts();
        var failed = new FailedState(new InvalidOperationException("Redis hiccup"));
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), failed, ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.Multiple(() =>
        {
            Assert.That(context.CandidateState, Is.SameAs(failed));
            Assert.That(failed.Reason, Is.Null);
        });
    }

    [Test]
    public void OnStateElection_NotAFailure_IsLeftAlone()
    {
        using var hangfire = new HangfireContexts();
        var succeeded = new SucceededState(result: null, latency: 0, performanceDuration: 0);
        var context = hangfire.ElectState(hangfire.CreateJob(DialJob), succeeded, ProcessingState.StateName);

        new DialRetryFilter().OnStateElection(context);

        Assert.That(context.CandidateState, Is.SameAs(succeeded));
    }

    private static ElectStateContext FailedRun(HangfireContexts hangfire, Exception exception) =>
        hangfire.ElectState(hangfire.CreateJob(DialJob), new FailedState(exception), ProcessingState.StateName);
}
