using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Agent;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Agent;

/// <summary>
/// The seed's agent hand-over, end to end: a call dialed through the sandbox is announced to a real (fake) agent server
/// with POST /start-call, and what happened is on the call record.
/// </summary>
[TestFixture]
public sealed class AgentHandoffEndToEndTests
{
    [Test]
    public async Task StartCall_PlacedCall_AgentReceivesTheSeedPayloadOnceWithTheSandboxRequestUuid()
    {
        await using var agent = await FakeAgentServer.StartAsync();
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["AGENT_SERVER_URL"] = agent.Url });
        const string number = "+14155550191";
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript(number, new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 20));
        var callId = await DialingEndToEndTests.QueueAsync(app, $$"""
            {
              "phone_number": "{{number}}", "campaign_id": "agent-e2e",
              "call_config": {
                "flow_name": "wishfin-test", "answer_url": "https://agent.example.com/answer",
                "variables": { "customer_name": "Asha", "loan_amount": 50000 }
              }
            }
            """);

        var call = await app.WaitForCallAsync(callId, c => c.Agent?.NotifiedAt is not null);
        await Task.Delay(TimeSpan.FromSeconds(1)); // room for a duplicate to show up, if there were one

        var requestUuid = sandbox.GetRequests().Single(r => r.Fields["to"] == number).RequestUuid;
        var received = agent.StartCalls;
        Assert.That(received, Has.Count.EqualTo(1), "/start-call exactly once");
        var body = received[0];
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("call_id").GetString(), Is.EqualTo(callId));
            Assert.That(body.GetProperty("plivo_call_uuid").GetString(), Is.EqualTo(requestUuid).And.Not.Null);
            Assert.That(body.GetProperty("plivo_call_uuid").GetString(), Is.EqualTo(call.Attempts[0].RequestUuid));
            Assert.That(body.GetProperty("phone_number").GetString(), Is.EqualTo(number));
            Assert.That(body.GetProperty("campaign_id").GetString(), Is.EqualTo("agent-e2e"));
            Assert.That(body.GetProperty("flow_name").GetString(), Is.EqualTo("wishfin-test"));
            Assert.That(body.GetProperty("variables").GetProperty("customer_name").GetString(), Is.EqualTo("Asha"));
            Assert.That(body.GetProperty("variables").GetProperty("loan_amount").GetInt32(), Is.EqualTo(50000));
            Assert.That(body.GetProperty("config").GetProperty("answer_url").GetString(), Is.EqualTo("https://agent.example.com/answer"));
            Assert.That(body.GetProperty("config").GetProperty("flow_name").GetString(), Is.EqualTo("wishfin-test"));
            Assert.That(body.GetProperty("attempt").GetInt32(), Is.EqualTo(1));
            Assert.That(call.Agent!.DialAttempt, Is.EqualTo(1));
            Assert.That(call.Agent.Attempts, Is.EqualTo(1));
            Assert.That(call.Agent.LastStatusCode, Is.EqualTo(200));
            Assert.That(call.Agent.LastError, Is.Null);
        });
    }

    [Test]
    public async Task StartCall_AgentAnswers500_TriesThreeTimesRecordsTheFailureAndLeavesTheRestToHangfire()
    {
        await using var agent = await FakeAgentServer.StartAsync();
        agent.StartCallStatus = 500;
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["AGENT_SERVER_URL"] = agent.Url,
            ["SANDBOX_RING_TIMEOUT_SECONDS"] = "300",
        });
        const string number = "+14155550192";
        app.Service<PlivoSandbox>().SetNumberScript(number, new SandboxNumberScript(SandboxOutcome.NoAnswer, RingSeconds: 0));
        var callId = await DialingEndToEndTests.QueueAsync(app, $$"""
            { "phone_number": "{{number}}", "campaign_id": "agent-e2e", "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 300 } }
            """);

        var call = await app.WaitForCallAsync(callId, c => c.Agent?.Attempts >= 3);
        var retry = await WaitForScheduledRetryAsync(app, callId);

        var times = agent.StartCallTimes;
        Assert.Multiple(() =>
        {
            Assert.That(call.Agent!.NotifiedAt, Is.Null);
            Assert.That(call.Agent.Attempts, Is.EqualTo(3));
            Assert.That(call.Agent.LastStatusCode, Is.EqualTo(500));
            Assert.That(call.Agent.LastError, Does.StartWith("Agent server answered 500").And.Contain("agent is down"));
            Assert.That(agent.StartCalls, Has.Count.EqualTo(3), "three tries inside the job");
            Assert.That(times[1] - times[0], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)), "1 s before the second try");
            Assert.That(times[2] - times[1], Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1.9)), "2 s before the third");
            Assert.That(retry, Does.StartWith("Retry attempt 1 of 3: Agent server did not take attempt 1 after 3 tries"), "Hangfire's AutomaticRetry takes over");
        });
    }

    /// <summary>The reason of the Scheduled state AutomaticRetry gave the call's NotifyAgentJob.</summary>
    private static async Task<string> WaitForScheduledRetryAsync(CallQueueApp app, string callId)
    {
        var monitoring = app.Service<JobStorage>().GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var job = monitoring.ScheduledJobs(0, 100)
                .FirstOrDefault(entry => entry.Value.Job?.Type == typeof(NotifyAgentJob) && Equals(entry.Value.Job.Args[0], callId));
            if (job.Key is not null)
            {
                return monitoring.JobDetails(job.Key).History[0].Reason ?? string.Empty;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"No scheduled retry of NotifyAgentJob for call {callId}");
        throw new InvalidOperationException("unreachable");
    }
}
