using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.EndToEnd;
using CallQueue.Tests.Operators;
using CallQueue.Tests.Support;
using Hangfire;

namespace CallQueue.Tests.Api;

/// <summary>DELETE /api/calls/{call_id} over real HTTP against a real redis-server; the ringing case dials through the sandbox.</summary>
[TestFixture]
public sealed class CancelCallApiTests : WorkersOffApiFixture
{
    [Test]
    public async Task Cancel_QueuedCall_Returns200CancelledAndDeletesItsJob()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550161"));

        using var response = await Client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));

        var call = await response.Content.ReadFromJsonAsync<CallRecord>(CallQueueApp.Json);
        var job = App.Service<JobStorage>().GetConnection().GetStateData(call!.JobId);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(call.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(call.StatusReason, Is.EqualTo("Cancelled by request"));
            Assert.That(job.Name, Is.EqualTo("Deleted"));
            Assert.That(job.Reason, Is.EqualTo("Cancelled by request"));
        });
    }

    [Test]
    public async Task Cancel_ScheduledCall_Returns200AndDeletesTheScheduledJob()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall(
            "+14155550162", extra: $"\"scheduled_at\": \"{DateTimeOffset.UtcNow.AddHours(2):O}\""));

        using var response = await Client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));

        var call = await response.Content.ReadFromJsonAsync<CallRecord>(CallQueueApp.Json);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(call!.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(App.Service<JobStorage>().GetConnection().GetStateData(call.JobId).Name, Is.EqualTo("Deleted"));
        });
    }

    [Test]
    public async Task Cancel_AlreadyCancelled_Returns409NamingTheStatus()
    {
        var callId = await DialingEndToEndTests.QueueAsync(App, QueueCallApiTests.ValidCall("+14155550163"));
        (await Client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative))).Dispose();

        using var again = await Client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));

        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(again.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("is cancelled"));
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(409));
            Assert.That(problem.GetProperty("call_status").GetString(), Is.EqualTo("cancelled"));
        });
    }

    [Test]
    public async Task Cancel_UnknownCall_Returns404Problem()
    {
        using var response = await Client.DeleteAsync(new Uri("/api/calls/no-such-call", UriKind.Relative));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        });
    }

    [Test]
    public async Task Cancel_RingingCall_Returns202HangsUpAtPlivoAndTheCallEndsCancelledNeverRedialed()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["SANDBOX_RING_TIMEOUT_SECONDS"] = "300" });
        const string number = "+14155550164";
        var sandbox = app.Service<PlivoSandbox>();
        sandbox.SetNumberScript(number, new SandboxNumberScript(SandboxOutcome.NoAnswer, RingSeconds: 0));
        var callId = await DialingEndToEndTests.QueueAsync(app, $$"""
            { "phone_number": "{{number}}", "campaign_id": "cancel", "max_retries": 3, "call_config": { "answer_url": "https://a.example/x", "ring_timeout": 300 } }
            """);
        var ringing = await app.WaitForCallAsync(callId, c => c.Status == CallStatus.Ringing);
        using var client = app.Client();

        using var response = await client.DeleteAsync(new Uri($"/api/calls/{callId}", UriKind.Relative));

        var call = await app.WaitForCallAsync(callId, c => c.LastAttempt?.Outcome is not null);
        // No re-dial can follow: the call's one job ended Succeeded when the attempt was placed, and nothing schedules it.
        await OperatorTestCalls.WaitForJobStateAsync(app, call.JobId!, "Succeeded");
        var requestUuid = ringing.LastAttempt!.RequestUuid!;
        var atPlivo = sandbox.FindCall(requestUuid);
        var after = await app.WaitForCallAsync(callId, _ => true);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(atPlivo!.HangupCauseCode, Is.EqualTo(1000), "the sandbox saw the call cancelled by the API");
            Assert.That(call.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(call.StatusReason, Is.EqualTo("Cancelled by request"));
            Assert.That(call.LastAttempt!.Outcome, Is.EqualTo(CallOutcome.Cancelled));
            Assert.That(call.LastAttempt.HangupCauseCode, Is.EqualTo(1000));
            Assert.That(after.Attempts, Has.Count.EqualTo(1));
            Assert.That(after.Status, Is.EqualTo(CallStatus.Cancelled));
            Assert.That(sandbox.GetRequests().Count(r => r.Fields["to"] == number), Is.EqualTo(1), "never dialed again");
        });
    }
}
