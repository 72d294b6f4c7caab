using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;
using StackExchange.Redis;

namespace CallQueue.Tests.Api;

/// <summary>GET /api/queue/status, /api/calls/active, /api/health, and what happens while Redis is down.</summary>
[TestFixture]
public sealed class StatusAndHealthApiTests
{
    [Test]
    public async Task QueueStatus_AfterQueuingByPriority_CountsEachQueueAndShowsTheCaps()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?>
        {
            ["QUEUE_WORKERS"] = "0",
            ["MAX_CONCURRENT_CALLS"] = "25",
            ["RATE_LIMIT_PER_SECOND"] = "3",
        });
        using var client = app.Client();
        foreach (var priority in new[] { "urgent", "high", "high", "low" })
        {
            using var content = Json(QueueCallApiTests.ValidCall("+14155550123", extra: $"\"priority\": \"{priority}\""));
            (await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), content)).Dispose();
        }

        var status = await client.GetFromJsonAsync<JsonElement>("/api/queue/status");

        var queues = status.GetProperty("queues");
        Assert.Multiple(() =>
        {
            Assert.That(queues.GetProperty("urgent").GetInt64(), Is.EqualTo(1));
            Assert.That(queues.GetProperty("high").GetInt64(), Is.EqualTo(2));
            Assert.That(queues.GetProperty("normal").GetInt64(), Is.Zero);
            Assert.That(queues.GetProperty("low").GetInt64(), Is.EqualTo(1));
            Assert.That(status.GetProperty("queued").GetInt64(), Is.EqualTo(4));
            Assert.That(status.GetProperty("max_concurrent_calls").GetInt32(), Is.EqualTo(25));
            Assert.That(status.GetProperty("rate_limit_per_second").GetDouble(), Is.EqualTo(3));
            Assert.That(status.GetProperty("active_calls").GetInt64(), Is.Zero);
            Assert.That(status.GetProperty("calls").GetProperty("queued").GetInt64(), Is.EqualTo(4));
            Assert.That(status.GetProperty("totals").GetProperty("total").GetInt64(), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task ActiveCalls_NothingDialing_ReturnsAnEmptyListAndTheCap()
    {
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0", ["MAX_CONCURRENT_CALLS"] = "7" });
        using var client = app.Client();

        var active = await client.GetFromJsonAsync<JsonElement>("/api/calls/active");

        Assert.Multiple(() =>
        {
            Assert.That(active.GetProperty("count").GetInt32(), Is.Zero);
            Assert.That(active.GetProperty("max_concurrent_calls").GetInt32(), Is.EqualTo(7));
            Assert.That(active.GetProperty("calls").GetArrayLength(), Is.Zero);
        });
    }

    [Test]
    public async Task Health_DevelopmentDefaults_Returns200AndAnnouncesEachDefault()
    {
        await using var app = CallQueueApp.InMemory();
        using var client = app.Client();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        var warnings = health.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("healthy"));
            Assert.That(warnings, Has.Some.Contains("REDIS_URL is not set"));
            Assert.That(warnings, Has.Some.Contains("Plivo sandbox"));
            Assert.That(warnings, Has.Some.Contains("AGENT_SERVER_URL is not set"));
        });
    }

    [Test]
    public async Task Health_AgentServerDown_ReportsDegradedAgentServerUnreachable()
    {
        var deadAgent = $"http://127.0.0.1:{FreePort.Next()}";
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["AGENT_SERVER_URL"] = deadAgent });
        using var client = app.Client();

        using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        var health = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("degraded"));
            Assert.That(health.GetProperty("checks").GetProperty("agent_server").GetProperty("detail").GetString(), Does.StartWith("Agent server unreachable"));
            Assert.That(health.GetProperty("checks").GetProperty("redis").GetProperty("detail").GetString(), Does.Contain("connected to redis://127.0.0.1"));
        });
    }

    [Test]
    public async Task RedisDown_QueueAnswers503AndWritesNothing_ThenWorksAgainWhenRedisIsBack()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var app = CallQueueApp.WithRedis(new Dictionary<string, string?> { ["QUEUE_WORKERS"] = "0" }, redis.Url);
        using var client = app.Client();
        await redis.StopAsync();

        using var down = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), Json(QueueCallApiTests.ValidCall("+14155550123", extra: "\"custom_call_id\": \"while-down\"")));
        using var health = await client.GetAsync(new Uri("/api/health", UriKind.Relative));

        var problem = await down.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(down.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Redis connection failed"));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        });

        await redis.StartAsync();
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            var keys = connection.GetServer(redis.ConnectionString).Keys(pattern: "*while-down*").ToList();
            Assert.That(keys, Is.Empty, "nothing of the refused call was written");
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(500);
            using var retry = await client.PostAsync(new Uri("/api/calls/queue", UriKind.Relative), Json(QueueCallApiTests.ValidCall("+14155550123")));
            status = retry.StatusCode;
        }
        while (status != HttpStatusCode.Accepted && DateTime.UtcNow < deadline);

        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), "calls are accepted again once Redis is back");
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
