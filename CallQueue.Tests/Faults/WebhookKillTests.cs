using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Jobs.Webhooks;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Faults;

/// <summary>
/// Issue 13's promise under a crash: a process killed (SIGKILL) right after its calls' hangups were recorded, with
/// nothing delivered yet, loses no event: another process on the same Redis delivers every one (jobs the dead process
/// had fetched come back once its server is declared dead; events whose jobs it never created are swept).
/// </summary>
[TestFixture]
[Category("Redis")]
public sealed class WebhookKillTests
{
    private const int Calls = 5;

    [Test]
    public async Task ProcessKilledRightAfterHangups_NoEventIsLost()
    {
        await using var receiver = await FakeWebhookReceiver.StartAsync();
        var up = false;
        var delivered = new System.Collections.Concurrent.ConcurrentQueue<(string? CallId, string Type)>();
        receiver.Reply = request =>
        {
            if (!Volatile.Read(ref up))
            {
                return new WebhookReply(503);
            }

            delivered.Enqueue(Event(request));
            return WebhookReply.Ok;
        };
        var secret = WebhookSecret.Generate();
        var shared = new Dictionary<string, string?>
        {
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = "t" + Guid.NewGuid().ToString("N")[..12],
            ["HANGFIRE_SERVER_TIMEOUT_SECONDS"] = "10",
            ["BACKEND_URL"] = receiver.Url,
            ["WEBHOOK_SECRET"] = secret,
            ["WEBHOOK_RETRY_DELAYS"] = "1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s",
            ["PLIVO_MODE"] = "sandbox",
            ["SANDBOX_RING_SECONDS"] = "0",
            ["SANDBOX_TALK_SECONDS"] = "1",
            ["SANDBOX_ANSWER_RATIO"] = "1",
            ["SANDBOX_BUSY_RATIO"] = "0",
            ["SANDBOX_NO_ANSWER_RATIO"] = "0",
            ["SCHEDULE_POLLING_SECONDS"] = "1",
        };
        var first = await CallQueueProcess.StartAsync(new Dictionary<string, string?>(shared) { ["QUEUE_WORKERS"] = "4" });
        var callIds = new List<string>();
        using (var client = new HttpClient { BaseAddress = first.BaseAddress })
        {
            for (var i = 0; i < Calls; i++)
            {
                using var response = await client.PostAsJsonAsync("/api/calls/queue", new
                {
                    phone_number = $"+1415555031{i}",
                    campaign_id = "kill-hooks",
                    call_config = new { answer_url = "https://agent.example.com/answer" },
                });
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                callIds.Add(body.RootElement.GetProperty("call_id").GetString()!);
            }

            await WaitAsync(async () =>
            {
                foreach (var callId in callIds)
                {
                    using var call = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/calls/{callId}", UriKind.Relative)));
                    if (call.RootElement.GetProperty("status").GetString() != "completed")
                    {
                        return false;
                    }
                }

                return true;
            }, TimeSpan.FromSeconds(60));
        }

        await first.KillAsync();
        Assert.That(delivered, Is.Empty, "nothing delivered before the kill: the backend was down");
        Volatile.Write(ref up, true);
        await using var second = await CallQueueProcess.StartAsync(new Dictionary<string, string?>(shared) { ["QUEUE_WORKERS"] = "1" });

        await WaitAsync(
            () => Task.FromResult(callIds.All(id => delivered.Contains((id, "call.completed")))),
            TimeSpan.FromSeconds(150));

        Assert.Multiple(() =>
        {
            foreach (var callId in callIds)
            {
                var types = delivered.Where(e => e.CallId == callId).Select(e => e.Type).Distinct().ToList();
                Assert.That(types, Is.EquivalentTo(new[] { "call.attempt_ended", "call.completed" }), callId);
            }
        });
    }

    private static (string? CallId, string Type) Event(ReceivedWebhook request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var data = json.RootElement.GetProperty("data");
        return (data.TryGetProperty("call_id", out var id) ? id.GetString() : null, json.RootElement.GetProperty("type").GetString()!);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold in time.");
            }

            await Task.Delay(200);
        }
    }
}
