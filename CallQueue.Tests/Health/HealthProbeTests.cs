using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Health;

/// <summary>/healthz/live and /healthz/ready on the real server, and /api/health reading the agent gate instead of asking the agent.</summary>
[TestFixture]
public sealed class HealthProbeTests
{
    private static readonly TimeSpan FlipTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Ready_RedisStoppedThenStarted_Flips503ThenBackTo200WhileLiveStays200()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" }, redis.Url);
        using var client = app.Client();
        var readyAtStart = await StatusAsync(client, "/healthz/ready");

        await redis.StopAsync();
        var readyWhileDown = await WaitForStatusAsync(client, "/healthz/ready", HttpStatusCode.ServiceUnavailable);
        var liveWhileDown = await StatusAsync(client, "/healthz/live");
        await redis.StartAsync();
        var readyAgain = await WaitForStatusAsync(client, "/healthz/ready", HttpStatusCode.OK);

        Assert.Multiple(() =>
        {
            Assert.That(readyAtStart, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(readyWhileDown, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(liveWhileDown, Is.EqualTo(HttpStatusCode.OK), "a restart would not bring Redis back");
            Assert.That(readyAgain, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task Probes_WithApiKeysSet_AreOpenAndAnswerPlainText()
    {
        await using var app = CallQueueApp.InMemory(new Dictionary<string, string?> { ["API_KEYS"] = "probe-test-key-0123456789" });
        using var client = app.Client();

        using var live = await client.GetAsync(new Uri("/healthz/live", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/healthz/ready", UriKind.Relative));

        var liveText = await live.Content.ReadAsStringAsync();
        var readyText = await ready.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(liveText, Is.EqualTo("Healthy"));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(readyText, Is.EqualTo("Healthy"));
        });
    }

    [Test]
    public async Task Health_AgentServerUp_ReadsTheGateAndNeverAsksTheAgentItself()
    {
        await using var agent = await FakeAgentServer.StartAsync();
        await using var app = CallQueueApp.InMemory(new Dictionary<string, string?>
        {
            ["AGENT_SERVER_URL"] = agent.Url,
            ["AGENT_HEALTH_INTERVAL_SECONDS"] = "3600",
        });
        using var client = app.Client();

        var details = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var health = await client.GetFromJsonAsync<JsonElement>("/api/health");
            details.Add(health.GetProperty("checks").GetProperty("agent_server").GetProperty("detail").GetString());
        }

        Assert.Multiple(() =>
        {
            Assert.That(details, Has.All.Contains(agent.Url + "/health healthy"));
            Assert.That(agent.HealthRequests, Is.EqualTo(1), "only the agent gate's own first check");
        });
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> WaitForStatusAsync(HttpClient client, string path, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + FlipTimeout;
        HttpStatusCode status;
        while ((status = await StatusAsync(client, path)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return status;
    }
}
