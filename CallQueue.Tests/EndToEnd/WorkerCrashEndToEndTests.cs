using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Api;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.EndToEnd;

/// <summary>
/// At most once per attempt, with real processes on a real redis-server: a dialer killed between sending the request to
/// Plivo and recording Plivo's answer never makes the callee ring twice.
/// </summary>
[TestFixture]
public sealed class WorkerCrashEndToEndTests
{
    [Test]
    public async Task DialerKilledBetweenRequestAndAnswer_CalleeIsRungOnceAndTheCallSettles()
    {
        // B: the sandbox ("Plivo") and the callback receiver, dialing nothing itself.
        await using var plivoSide = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["QUEUE_WORKERS"] = "0",
            ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
        });
        var sandbox = plivoSide.Service<PlivoSandbox>();
        const string number = "+14155550189";
        sandbox.SetNumberScript(number, new SandboxNumberScript(SandboxOutcome.Answered, RingSeconds: 0, TalkSeconds: 300));
        sandbox.EnqueueFault(new SandboxFault { DelayMilliseconds = 4_000 }); // Plivo answers slowly: time to kill the dialer
        var shared = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = plivoSide.KeyPrefix,
            ["PLIVO_MODE"] = "sandbox",
            ["PLIVO_API_URL"] = plivoSide.BaseAddress + "sandbox/plivo",
            ["PUBLIC_BASE_URL"] = plivoSide.BaseAddress.ToString().TrimEnd('/'),
            ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
            ["QUEUE_WORKERS"] = "1",
        };

        // A: the dialer that dies with the request in flight.
        var dialer = await CallQueueProcess.StartAsync(shared);
        var callId = await DialingEndToEndTests.QueueAsync(plivoSide, QueueCallApiTests.ValidCall(number));
        var claimed = await plivoSide.WaitForCallAsync(callId, c => c.LastAttempt is not null);
        await Task.Delay(500);
        await dialer.KillAsync();
        Assert.That(claimed.LastAttempt!.RequestUuid, Is.Null, "killed before Plivo's answer was recorded");

        // C: another dialer; Hangfire hands it the dead process's job once that process is declared dead.
        await using var survivor = await CallQueueProcess.StartAsync(shared);
        var storage = plivoSide.Service<JobStorage>();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline
            && (storage.GetConnection().GetJobData(claimed.JobId)?.State is "Processing" or "Enqueued"
                || storage.GetMonitoringApi().JobDetails(claimed.JobId).History.Count(h => h.StateName == "Processing") < 2))
        {
            await Task.Delay(500);
        }

        // The re-run found the call live at Plivo instead of dialing again; the callee then hangs up.
        var adopted = await plivoSide.WaitForCallAsync(callId, _ => true);
        var placed = sandbox.GetCalls().Single(c => c.To == number);
        sandbox.HangupCall(placed.CallUuid);
        var call = await plivoSide.WaitForCallAsync(callId, c => c.Status.IsTerminal(), TimeSpan.FromMinutes(1));

        var requests = sandbox.GetRequests().Where(r => r.Fields.GetValueOrDefault("to") == number).ToList();
        var history = storage.GetMonitoringApi().JobDetails(claimed.JobId).History;
        Assert.Multiple(() =>
        {
            Assert.That(history.Count(h => h.StateName == "Processing"), Is.GreaterThanOrEqualTo(2), "the job ran again after the crash");
            Assert.That(requests, Has.Count.EqualTo(1), "the callee is rung once for the one attempt");
            Assert.That(sandbox.GetCalls().Count(c => c.To == number), Is.EqualTo(1));
            Assert.That(call.Attempts, Has.Count.EqualTo(1));
            // Either the re-run found the call at Plivo, or Plivo's ring callback (naming the call's RequestUUID) came first.
            Assert.That(adopted.StatusReason, Does.Contain("found at Plivo").Or.Contain("Ringing"), survivor.Output);
            Assert.That(adopted.LastAttempt!.CallUuid, Is.EqualTo(placed.CallUuid));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Completed));
        });
    }
}
