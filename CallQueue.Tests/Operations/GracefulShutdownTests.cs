using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Calls;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Operations;

[TestFixture]
[Category("Integration")]
public sealed class GracefulShutdownTests
{
    [Test]
    public async Task Sigterm_WhileACreateCallRequestIsInFlight_FinishesItAndExitsZero()
    {
        // The sandbox (and the reader of the call records) is another host, so it stays up while the dialer stops; it
        // answers make-call requests after 4 s.
        var prefix = "t" + Guid.NewGuid().ToString("N")[..12];
        await using var plivo = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["REDIS_KEY_PREFIX"] = prefix,
            ["QUEUE_WORKERS"] = "0",
            ["SANDBOX_RESPONSE_DELAY_MS"] = "4000",
            ["SANDBOX_RING_SECONDS"] = "30",
        });
        await using var dialer = await CallQueueProcess.StartAsync(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = prefix,
            ["QUEUE_WORKERS"] = "2",
            ["PLIVO_MODE"] = "sandbox",
            ["PLIVO_API_URL"] = plivo.BaseAddress + "sandbox/plivo",
            ["LOG_FILE"] = string.Empty,
            ["AGENT_SERVER_URL"] = string.Empty,
        });

        using var client = plivo.Client();
        using var response = await client.PostAsJsonAsync("/api/calls/queue", new
        {
            phone_number = "+919123456789",
            campaign_id = "ops-shutdown",
            call_config = new { answer_url = "https://agent.example.com/answer" },
        });
        Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var callId = body.RootElement.GetProperty("call_id").GetString()!;

        await plivo.WaitForCallAsync(callId, call => call.Status == CallStatus.Dialing);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the request is on its way to the sandbox
        Assert.That(plivo.Service<PlivoSandbox>().GetRequests(), Is.Empty, "still in flight when SIGTERM arrives");

        var exitCode = await dialer.StopAsync();

        var requests = plivo.Service<PlivoSandbox>().GetRequests();
        var call = await plivo.WaitForCallAsync(callId, c => c.LastAttempt?.RequestUuid is not null, TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, dialer.Output);
            Assert.That(requests, Has.Count.EqualTo(1));
            Assert.That(requests[0].ResponseStatus, Is.EqualTo(201));
            Assert.That(call.LastAttempt!.RequestUuid, Is.EqualTo(requests[0].RequestUuid));
            Assert.That(call.Attempts, Has.Count.EqualTo(1), "dialed once");
        });
    }
}
