using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Operators;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.States;

namespace CallQueue.Tests.Operators;

/// <summary>
/// The dashboard's Requeue as Hangfire's dashboard performs it — ChangeState(job, Enqueued "Triggered via Dashboard UI",
/// from its current state) — on a real app: real Hangfire on redis-server, workers and the sandbox. Proves the wiring (every
/// process registers the filter, and a requeued job really dials again); each decision of the filter has a fast test in
/// <see cref="OperatorRequeueFilterTests"/>.
/// </summary>
[TestFixture]
public sealed class OperatorRequeueFilterEndToEndTests
{
    private CallQueueApp _app = null!;

    [OneTimeSetUp]
    public void StartApp() => _app = CallQueueApp.WithRedis();

    [OneTimeTearDown]
    public async Task StopApp() => await _app.DisposeAsync();

    [Test]
    public async Task DashboardRequeue_FailedCall_DialsItAgainWithAFreshBudgetAndResetsRetryCount()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550421", "ops-filter");
        using (var connection = _app.Service<JobStorage>().GetConnection())
        {
            connection.SetJobParameter(failed.JobId, "RetryCount", "3");
        }

        var changed = DashboardRequeue(failed.JobId!, FailedState.StateName);

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Status == CallStatus.Completed);
        using var after = _app.Service<JobStorage>().GetConnection();
        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.True);
            Assert.That(call.Attempts, Has.Count.EqualTo(2));
            Assert.That(call.AttemptOffset, Is.EqualTo(1));
            Assert.That(call.Notes!.Single().Text, Does.StartWith("Requeued by operator via the dashboard after 1 attempt (was failed: Busy after 1 attempt"));
            Assert.That(after.GetJobParameter(failed.JobId, "RetryCount"), Is.EqualTo("0"));
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550421"), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task DashboardRequeue_CompletedCall_SendsTheJobBackToSucceededWithTheReasonAndDialsNothing()
    {
        var completed = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550422", "ops-filter");

        // The filter runs inside the state change: once it returns, the job's state is the filter's answer.
        DashboardRequeue(completed.JobId!, SucceededState.StateName);

        var job = OperatorTestCalls.JobState(_app, completed.JobId!);
        var call = await _app.WaitForCallAsync(completed.CallId, _ => true);
        Assert.Multiple(() =>
        {
            Assert.That(job?.Name, Is.EqualTo("Succeeded"));
            Assert.That(job?.Reason, Is.EqualTo(CallLifecycle.CompletedRefusal));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
            Assert.That(call.Notes, Is.Null);
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550422"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DashboardRequeue_CancelledCall_DialsItFromDeleted()
    {
        var cancelled = await OperatorTestCalls.CancelledCallAsync(_app, "+14155550423", "ops-filter");

        DashboardRequeue(cancelled.JobId!, DeletedState.StateName);

        var call = await _app.WaitForCallAsync(cancelled.CallId, c => c.Status == CallStatus.Completed);
        Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550423"), Is.EqualTo(1));
        Assert.That(call.Notes!.Single().Text, Does.Contain("via the dashboard"));
    }

    [Test]
    public async Task EnqueueNow_ScheduledCall_IsNotARequeue()
    {
        var callId = await OperatorTestCalls.QueueAsync(_app, "+14155550424", "ops-filter", extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(1):O}\"");
        var scheduled = await _app.WaitForCallAsync(callId, c => c.JobId is not null);

        DashboardRequeue(scheduled.JobId!, ScheduledState.StateName);

        var call = await _app.WaitForCallAsync(callId, c => c.Status == CallStatus.Completed);
        Assert.Multiple(() =>
        {
            Assert.That(call.Notes, Is.Null, "dialing a waiting call early is not a requeue");
            Assert.That(call.AttemptOffset, Is.Zero);
        });
    }

    private bool DashboardRequeue(string jobId, string fromState) =>
        _app.Service<IBackgroundJobClient>().ChangeState(jobId, new EnqueuedState { Reason = CallRequeue.DashboardStateReason }, fromState);
}
