using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Api;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;
using Hangfire;
using Hangfire.Storage.Monitoring;

namespace CallQueue.Tests.EndToEnd;

/// <summary>
/// From HTTP to a Plivo request: real redis-server, real Hangfire workers, the real Plivo client talking over loopback
/// to the Plivo sandbox served by the app.
/// </summary>
[TestFixture]
public sealed class DialingEndToEndTests
{
    [Test]
    public async Task QueuedCall_IsDialedOnceWithThePlivoRequestBuiltFromIt()
    {
        await using var app = CallQueueApp.WithRedis();
        var callId = await QueueAsync(app, """
            {
              "phone_number": "+919123456789", "campaign_id": "e2e",
              "call_config": { "answer_url": "https://agent.example.com/answer", "answer_method": "get", "max_duration": 600, "ring_timeout": 25 }
            }
            """);

        var call = await app.WaitForCallAsync(callId, c => c.LastAttempt?.RequestUuid is not null);

        var requests = app.Service<PlivoSandbox>().GetRequests().Where(r => r.Fields.GetValueOrDefault("to") == "+919123456789").ToList();
        Assert.That(requests, Has.Count.EqualTo(1), "dialed exactly once");
        var fields = requests[0].Fields;
        Assert.Multiple(() =>
        {
            Assert.That(requests[0].AuthUser, Is.EqualTo(app.Service<PlivoSandbox>().AuthId), "Basic auth with the account's Auth ID");
            Assert.That(fields["from"], Is.EqualTo("14155550100"));
            Assert.That(fields["answer_url"], Is.EqualTo("https://agent.example.com/answer"));
            Assert.That(fields["answer_method"], Is.EqualTo("GET"));
            Assert.That(fields["hangup_url"], Is.EqualTo($"{app.BaseAddress.ToString().TrimEnd('/')}/api/plivo/hangup?call_id={callId}&attempt=1"));
            Assert.That(fields["ring_url"], Does.StartWith($"{app.BaseAddress.ToString().TrimEnd('/')}/api/plivo/ring?call_id={callId}"));
            Assert.That(fields["time_limit"], Is.EqualTo("600"));
            Assert.That(fields["ring_timeout"], Is.EqualTo("25"));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Dialing).Or.EqualTo(CallStatus.Ringing).Or.EqualTo(CallStatus.InProgress).Or.EqualTo(CallStatus.Completed));
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo(requests[0].RequestUuid));
        });
    }

    [Test]
    public async Task UrgentCalls_QueuedAfterNormalOnes_AreDialedFirst()
    {
        // An API-only process queues the backlog; then a dialing process with one worker drains it.
        await using var api = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" });
        var normal = Enumerable.Range(0, 4).Select(i => $"+1415555020{i}").ToList();
        var urgent = Enumerable.Range(0, 2).Select(i => $"+1415555030{i}").ToList();
        foreach (var number in normal)
        {
            await QueueAsync(api, QueueCallApiTests.ValidCall(number));
        }

        foreach (var number in urgent)
        {
            await QueueAsync(api, QueueCallApiTests.ValidCall(number, extra: "\"priority\": \"urgent\""));
        }

        await using var worker = CallQueueApp.WithRedis(
            new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "1", ["REDIS_KEY_PREFIX"] = api.KeyPrefix });
        var sandbox = worker.Service<PlivoSandbox>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (sandbox.GetRequests().Count < 6 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var order = sandbox.GetRequests().Select(r => r.Fields["to"]).ToList();
        Assert.That(order, Is.EqualTo(urgent.Concat(normal).ToList()), "urgent first, then FIFO within normal");
    }

    [Test]
    public async Task Plivo503ThenAccepted_GivesOneRetryAndOneCall()
    {
        await using var app = CallQueueApp.WithRedis();
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.EnqueueFault(new SandboxFault { StatusCode = 503, Error = "service unavailable" });

        var callId = await QueueAsync(app, QueueCallApiTests.ValidCall("+14155550177"));
        var call = await app.WaitForCallAsync(callId, c => c.Attempts.Count == 2 && c.LastAttempt!.RequestUuid is not null);

        var requests = sandbox.GetRequests().Where(r => r.Fields["to"] == "+14155550177").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requests.Select(r => r.ResponseStatus), Is.EqualTo(new int?[] { 503, 201 }), "one failed request, one placed call");
            Assert.That(call.Attempts[0].Outcome, Is.EqualTo(CallOutcome.ProviderError));
            Assert.That(call.Attempts[0].Error, Does.Contain("503"));
            Assert.That(call.Attempts[1].RequestUuid, Is.EqualTo(requests[1].RequestUuid));
        });
        var history = History(app, call.JobId!);
        Assert.That(history.Select(h => h.StateName), Does.Contain("Scheduled"));
        Assert.That(history.First(h => h.StateName == "Scheduled").Reason, Does.Contain("retry in").And.Contain("attempt 2 of 4"));
    }

    [Test]
    public async Task Plivo400_IsNotRetriedAndTheJobFailsWithAReadableReason()
    {
        await using var app = CallQueueApp.WithRedis();
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.EnqueueFault(new SandboxFault { StatusCode = 400, Error = "from parameter is invalid" });

        var callId = await QueueAsync(app, QueueCallApiTests.ValidCall("+14155550178"));
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Failed);
        await WaitForJobStateAsync(app, call.JobId!, "Failed"); // its last state: nothing dials it again

        var requests = sandbox.GetRequests().Where(r => r.Fields["to"] == "+14155550178").ToList();
        var job = app.Service<JobStorage>().GetConnection().GetStateData(call.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.EqualTo(1), "a 400 is never retried");
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.ProviderError));
            Assert.That(job.Name, Is.EqualTo("Failed"));
            Assert.That(job.Reason, Does.Contain("400").And.Contain("from parameter is invalid"));
        });
    }

    [Test]
    public async Task PlivoTooSlowToAnswer_TheCallIsMarkedUnknownAndNeverSentAgain()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["PLIVO_TIMEOUT_SECONDS"] = "1" });
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 3_000 });

        var callId = await QueueAsync(app, QueueCallApiTests.ValidCall("+14155550179"));
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Unknown);
        await WaitForJobStateAsync(app, call.JobId!, "Failed");

        // The sandbox carries the slow request out after 3 s, as Plivo would: its callbacks then settle the attempt.
        var settled = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Completed);
        var requests = sandbox.GetRequests().Where(r => r.Fields["to"] == "+14155550179").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(requests, Has.Count.EqualTo(1), "a request whose answer is unknown is not sent again");
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Unknown));
            Assert.That(call.StatusReason, Does.Contain("Check Plivo's call log"), "Plivo showed nothing yet when the answer timed out");
            Assert.That(settled.Attempts, Has.Count.EqualTo(1));
            Assert.That(settled.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Answered), "Plivo's word replaces the dialer's guess");
        });
    }

    [Test]
    public async Task PlivoAnswerTimesOutAfterTheCallbacksCame_TheirOutcomeAndItsRetryStand()
    {
        // Plivo fires the call at once, its ring and hangup (busy) callbacks arrive, and only then does the create-call
        // answer come, after PLIVO_TIMEOUT_SECONDS: the timeout must not overwrite what the callbacks settled.
        const string Number = "+14155550181";
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["PLIVO_TIMEOUT_SECONDS"] = "2" });
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript(Number, new SandboxNumberScript(SandboxOutcome.Busy, RingSeconds: 0, TalkSeconds: 0));
        sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 4_000, PlaceFirst = true });

        var callId = await QueueAsync(app, $$"""
            {
              "phone_number": "{{Number}}", "campaign_id": "e2e", "max_retries": 1,
              "call_config": { "answer_url": "https://agent.example.com/answer", "retry_delay_seconds": 4 }
            }
            """);

        // Busy at once, retry due in 4 s; the late answer times out in between, while the call waits for its retry.
        var call = await app.WaitForCallAsync(callId, c => c.Status.IsTerminal(), TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(call.Status, Is.EqualTo(CallStatus.Failed), call.StatusReason);
            Assert.That(call.StatusReason, Does.Contain("Busy after 2 attempts"));
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.EqualTo(new CallOutcome?[] { CallOutcome.Busy, CallOutcome.Busy }), "the busy retry was kept");
            Assert.That(call.Attempts.Select(a => a.ResultSource), Is.All.EqualTo("hangup callback"));
            Assert.That(sandbox.GetCalls().Count(c => c.To.TrimStart('+') == Number.TrimStart('+')), Is.EqualTo(2), "one call placed per attempt");
        });
    }

    [Test]
    public async Task PlivoUnreachable_RetriesWithoutSendingAndFailsWhenAttemptsRunOut()
    {
        var closedPort = FreePort.Next();
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["PLIVO_MODE"] = "sandbox",
            ["PLIVO_API_URL"] = $"http://127.0.0.1:{closedPort}",
        });

        var callId = await QueueAsync(app, QueueCallApiTests.ValidCall("+14155550180", extra: "\"max_retries\": 1"));
        var call = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Failed);

        Assert.Multiple(() =>
        {
            Assert.That(call.Attempts, Has.Count.EqualTo(2));
            Assert.That(call.Attempts.Select(a => a.Outcome), Is.All.EqualTo(CallOutcome.NetworkError));
            Assert.That(call.StatusReason, Does.Contain("after 2 attempts"));
        });
    }

    internal static async Task<string> QueueAsync(CallQueueApp app, string body)
    {
        using var client = app.Client();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call_id").GetString()!;
    }

    private static List<StateHistoryDto> History(CallQueueApp app, string jobId) =>
        app.Service<JobStorage>().GetMonitoringApi().JobDetails(jobId).History.ToList();

    private static async Task WaitForJobStateAsync(CallQueueApp app, string jobId, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (app.Service<JobStorage>().GetConnection().GetJobData(jobId)?.State != state && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(app.Service<JobStorage>().GetConnection().GetJobData(jobId)?.State, Is.EqualTo(state));
    }
}
