using System.Net;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Operators;

/// <summary>POST /api/calls/{call_id}/requeue and POST /api/calls/requeue over real HTTP: real redis-server, workers, sandbox.</summary>
[TestFixture]
public sealed class RequeueCallApiTests
{
    private CallQueueApp _app = null!;

    [OneTimeSetUp]
    public void StartApp() => _app = CallQueueApp.WithRedis();

    [OneTimeTearDown]
    public async Task StopApp() => await _app.DisposeAsync();

    [Test]
    public async Task Requeue_FailedCall_Returns200AndDialsItAgainWithAFreshBudget()
    {
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550401", "ops-single");

        var (status, body) = await OperatorTestCalls.PostAsync(_app, $"/api/calls/{failed.CallId}/requeue");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var answer = OperatorTestCalls.ToCall(body);
        Assert.Multiple(() =>
        {
            Assert.That(answer.Status, Is.EqualTo(CallStatus.Queued));
            Assert.That(answer.StatusReason, Is.EqualTo("Requeued by operator"));
            Assert.That(answer.AttemptOffset, Is.EqualTo(1));
            Assert.That(answer.Notes!.Single().Text, Does.StartWith("Requeued by operator via the API after 1 attempt"));
            Assert.That(answer.JobId, Is.EqualTo(failed.JobId), "the call keeps its one job, whose history is its history");
        });

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Status == CallStatus.Completed);
        var history = _app.Service<JobStorage>().GetMonitoringApi().JobDetails(failed.JobId).History;
        using var connection = _app.Service<JobStorage>().GetConnection();
        Assert.Multiple(() =>
        {
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550401"), Is.EqualTo(2));
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.EqualTo(new CallOutcome?[] { CallOutcome.Busy, CallOutcome.Answered }));
            Assert.That(call.AttemptBudget, Is.EqualTo(2));
            Assert.That(history.Select(h => h.Reason), Has.Some.EqualTo("Requeued by operator via the API: next attempt 2 of 2"));
            Assert.That(connection.GetJobParameter(failed.JobId, "RetryCount"), Is.EqualTo("0"));
        });
    }

    [Test]
    public async Task Requeue_CompletedCall_Returns409NamingTheStatusAndDialsNothing()
    {
        var completed = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550402", "ops-single");

        // Refused before the job is touched: the answer is final when it comes.
        var (status, body) = await OperatorTestCalls.PostAsync(_app, $"/api/calls/{completed.CallId}/requeue");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(body.GetProperty("call_status").GetString(), Is.EqualTo("completed"));
            Assert.That(body.GetProperty("detail").GetString(), Does.StartWith("Call already completed: not dialed again"));
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550402"), Is.EqualTo(1));
            Assert.That(OperatorTestCalls.JobState(_app, completed.JobId!)?.Name, Is.EqualTo("Succeeded"));
        });
    }

    [Test]
    public async Task Requeue_ScheduledCall_Returns409NamingTheStatus()
    {
        var callId = await OperatorTestCalls.QueueAsync(_app, "+14155550403", "ops-single", extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(1):O}\"");

        var (status, body) = await OperatorTestCalls.PostAsync(_app, $"/api/calls/{callId}/requeue");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(body.GetProperty("call_status").GetString(), Is.EqualTo("scheduled"));
        });
    }

    [Test]
    public async Task Requeue_UnknownCallId_Returns404()
    {
        var (status, body) = await OperatorTestCalls.PostAsync(_app, "/api/calls/no-such-call/requeue");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(body.GetProperty("title").GetString(), Is.EqualTo("Call not found"));
        });
    }

    [Test]
    public async Task Requeue_CancelledCall_QueuesItAgainFromItsDeletedJob()
    {
        var cancelled = await OperatorTestCalls.CancelledCallAsync(_app, "+14155550404", "ops-single");

        var (status, body) = await OperatorTestCalls.PostAsync(_app, $"/api/calls/{cancelled.CallId}/requeue");

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        var call = await _app.WaitForCallAsync(cancelled.CallId, c => c.Status == CallStatus.Completed);
        Assert.Multiple(() =>
        {
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.Notes!.Single().Text, Does.Contain("was cancelled"));
            Assert.That(OperatorTestCalls.DialsTo(_app, "+14155550404"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task BulkRequeue_Campaign_RequeuesFailedCallsAndReportsTheSkippedOnes()
    {
        const string Campaign = "ops-bulk";
        var failed = await OperatorTestCalls.FailedCallAsync(_app, "+14155550411", Campaign);
        var completed = await OperatorTestCalls.CompletedCallAsync(_app, "+14155550412", Campaign);
        var cancelled = await OperatorTestCalls.CancelledCallAsync(_app, "+14155550413", Campaign);

        var (answeredStatus, answeredOnly) = await OperatorTestCalls.PostAsync(_app, "/api/calls/requeue", $$"""{ "campaign_id": "{{Campaign}}", "outcome": "answered" }""");
        var (_, before) = await OperatorTestCalls.PostAsync(
            _app, "/api/calls/requeue", $$"""{ "campaign_id": "{{Campaign}}", "to": "{{failed.CreatedAt.AddMinutes(-1):O}}" }""");
        var (status, body) = await OperatorTestCalls.PostAsync(_app, "/api/calls/requeue", $$"""{ "campaign_id": "{{Campaign}}" }""");

        var skipped = body.GetProperty("skipped").EnumerateArray()
            .ToDictionary(s => s.GetProperty("call_id").GetString()!, s => s.GetProperty("reason").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(answeredStatus, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answeredOnly.GetProperty("matched").GetInt32(), Is.EqualTo(1), "outcome is the last attempt's");
            Assert.That(answeredOnly.GetProperty("requeued").GetInt32(), Is.Zero);
            Assert.That(before.GetProperty("matched").GetInt32(), Is.Zero, "to bounds created_at");
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(body.GetProperty("matched").GetInt32(), Is.EqualTo(3));
            Assert.That(body.GetProperty("requeued").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("truncated").GetBoolean(), Is.False);
            Assert.That(skipped.Keys, Is.EquivalentTo(new[] { completed.CallId, cancelled.CallId }));
            Assert.That(skipped[completed.CallId], Is.EqualTo("Call already completed: not dialed again"));
            Assert.That(skipped[cancelled.CallId], Does.StartWith("Call is cancelled"));
        });

        var call = await _app.WaitForCallAsync(failed.CallId, c => c.Attempts.Count == 2 && c.Status == CallStatus.Completed);
        Assert.That(call.AttemptOffset, Is.EqualTo(1));
    }

    [TestCase("""{ "outcome": "busy" }""", "campaign_id")]
    [TestCase("""{ "campaign_id": "c", "outcome": "sort_of" }""", "outcome")]
    [TestCase("""{ "campaign_id": "c", "from": "2025-03-02T00:00:00Z", "to": "2025-03-01T00:00:00Z" }""", "from")]
    [TestCase("""{ "campaign_id": "c", "limit": 0 }""", "limit")]
    [TestCase("""{ "campaign_id": "c", "from": "yesterday" }""", "from")]
    public async Task BulkRequeue_InvalidFilter_Returns400NamingTheField(string json, string field)
    {
        var (status, body) = await OperatorTestCalls.PostAsync(_app, "/api/calls/requeue", json);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(body.GetProperty("errors").EnumerateObject().Select(e => e.Name), Has.Some.EqualTo(field), body.ToString());
        });
    }
}
