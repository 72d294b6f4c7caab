using CallQueue.Api.Diagnostics;
using CallQueue.Api.Sandbox;
using CallQueue.Jobs.Configuration;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;
using StackExchange.Redis;

namespace CallQueue.Tests.Diagnostics;

/// <summary>
/// The check verb (the seed's test_queue_agent_connection.py) as a real process: <c>dotnet CallQueue.Api.dll check</c>
/// against a real redis-server, the sandbox and a fake agent server, and against the seed's common problems.
/// </summary>
[TestFixture]
public sealed class CheckCommandTests
{
    [Test]
    public async Task Check_RedisSandboxAndAgentServer_EveryLinePassesAndExitsZero()
    {
        await using var agent = await FakeAgentServer.StartAsync();
        var prefix = NewPrefix();

        var run = await CheckVerb.RunAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = prefix,
            ["PLIVO_MODE"] = "sandbox",
            ["AGENT_SERVER_URL"] = agent.Url,
        });

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Lines, Is.Not.Empty.And.All.StartWith("PASS "), run.ToString());
        Assert.That(run.Of("PASS", "configuration"), Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Of("PASS", "redis").Single(), Does.Contain(SharedRedis.Server.Url).And.Contain("answered PING in"));
        Assert.That(run.Of("PASS", "agent server").Single(), Does.Contain($"{agent.Url}/health answered 200"));
        Assert.That(run.Of("PASS", "plivo").Single(), Does.Contain("sandbox mode").And.Contain("accepted its credentials"));
        Assert.That(run.Of("PASS", "queue round trip").Single(), Does.Contain("completed").And.Match(@"\+\d{2}•+0123"), "the number of the first zone inside its calling hours, masked");
        Assert.That(run.Result.Output, Does.Contain("Summary: 5 passed, 0 warnings, 0 failed"));
        Assert.That(QueueRoundTripCheck.CheckNumbers.Where(run.Result.Output.Contains), Is.Empty, "phone numbers are masked");
        Assert.That(await KeysAsync(prefix), Is.Empty, "the check leaves no keys: neither on the real prefix nor on its own");
    }

    [Test]
    public async Task Check_RedisStoppedAndAgentServerDead_FailsNamingBothWithFixesAndExitsOne()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await redis.StopAsync();
        var agentUrl = $"http://127.0.0.1:{FreePort.Next()}";

        var run = await CheckVerb.RunAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["REDIS_URL"] = redis.Url,
            ["PLIVO_MODE"] = "sandbox",
            ["AGENT_SERVER_URL"] = agentUrl,
        });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Of("FAIL", "redis").Single(), Does.Contain("Redis connection failed: " + redis.Url)
            .And.Contain("| fix: Start Redis (redis-server) or fix REDIS_URL"), run.ToString());
        Assert.That(run.Of("FAIL", "agent server").Single(), Does.Contain($"Agent server unreachable: {agentUrl}/health")
            .And.Contain($"| fix: start the agent server or fix its URL: curl {agentUrl}/health; export AGENT_SERVER_URL="), run.ToString());
        Assert.That(run.Of("FAIL", "queue round trip").Single(), Does.Contain("not run: Redis connection failed"), run.ToString());
        Assert.That(run.Result.Output, Does.Contain("Summary: ").And.Contain("3 failed"));
    }

    [Test]
    public async Task Check_ProductionWithoutPlivoCredentials_FailsPlivoCredentialsNotFound()
    {
        await using var agent = await FakeAgentServer.StartAsync();

        var run = await CheckVerb.RunAsync(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["REDIS_URL"] = SharedRedis.Server.Url,
            ["REDIS_KEY_PREFIX"] = NewPrefix(),
            ["AGENT_SERVER_URL"] = agent.Url,
            ["PUBLIC_BASE_URL"] = "https://queue.example.com",
            ["API_KEYS"] = "test-key",
        });

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Of("FAIL", "configuration"), Has.Some.Contain("Plivo credentials not found: set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN"), run.ToString());
        Assert.That(run.Of("FAIL", "plivo").Single(), Does.Contain("Plivo credentials not found")
            .And.Contain("| fix: Plivo credentials not found or not accepted: export PLIVO_AUTH_ID="), run.ToString());
        Assert.That(run.Of("PASS", "redis"), Has.Count.EqualTo(1), "the other checks still run");
        Assert.That(run.Of("PASS", "agent server"), Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Of("FAIL", "queue round trip").Single(), Does.Contain("not run"));
    }

    [Test]
    public async Task Check_DevelopmentDefaults_WarnsAboutEachAndPassesTheRoundTripInMemory()
    {
        var run = await CheckVerb.RunAsync(new Dictionary<string, string?> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Of("WARN", "redis").Single(), Does.Contain("REDIS_URL not set: in-memory development mode"));
        Assert.That(run.Of("WARN", "agent server").Single(), Does.Contain("AGENT_SERVER_URL not set"));
        Assert.That(run.Of("WARN", "configuration"), Has.Some.Contain("built-in Plivo sandbox"));
        Assert.That(run.Of("PASS", "plivo"), Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Of("PASS", "queue round trip"), Has.Count.EqualTo(1), run.ToString());
        Assert.That(run.Lines, Has.None.StartWith("FAIL "));
    }

    [Test]
    public async Task Check_LivePlivoAccepted_PassesWithANoOpJobAndDialsNothing()
    {
        // A running CallQueue's sandbox plays "live Plivo": the check's client gets the real protocol and Basic auth.
        await using var plivo = CallQueueApp.InMemory();
        await using var agent = await FakeAgentServer.StartAsync();

        var run = await CheckVerb.RunAsync(LivePlivo(plivo, agent, PlivoOptions.SandboxAuthToken));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Of("PASS", "plivo").Single(), Does.Contain($"live account {PlivoOptions.SandboxAuthId} accepted by"));
        Assert.That(run.Of("PASS", "queue round trip").Single(), Does.Contain("no-op job").And.Contain("no call was placed"));
        Assert.That(plivo.Service<PlivoSandbox>().GetRequests(), Is.Empty, "live mode never places a call");
    }

    [Test]
    public async Task Check_LivePlivoRejectsToken_FailsWithTheCredentialsFix()
    {
        await using var plivo = CallQueueApp.InMemory();
        await using var agent = await FakeAgentServer.StartAsync();

        var run = await CheckVerb.RunAsync(LivePlivo(plivo, agent, "not-the-token"));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Of("FAIL", "plivo").Single(), Does.Contain("Plivo credentials not accepted").And.Contain("401")
            .And.Contain("| fix: Plivo credentials not found or not accepted"), run.ToString());
        Assert.That(run.Result.Output, Does.Not.Contain("not-the-token"), "secrets are never printed");
    }

    private static Dictionary<string, string?> LivePlivo(CallQueueApp plivo, FakeAgentServer agent, string token) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["PLIVO_MODE"] = "live",
        ["PLIVO_AUTH_ID"] = PlivoOptions.SandboxAuthId,
        ["PLIVO_AUTH_TOKEN"] = token,
        ["PLIVO_NUMBER"] = PlivoOptions.SandboxNumber,
        ["PLIVO_API_URL"] = $"{plivo.BaseAddress}sandbox/plivo",
        ["PUBLIC_BASE_URL"] = "https://queue.example.com",
        ["AGENT_SERVER_URL"] = agent.Url,
    };

    private static string NewPrefix() => "chk" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Every key of the prefix and of anything derived from it (the check's own <c>{prefix}-check-…</c>).</summary>
    private static async Task<List<string>> KeysAsync(string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(SharedRedis.Server.ConnectionString + ",allowAdmin=true");
        var keys = new List<string>();
        await foreach (var key in redis.GetServer(redis.GetEndPoints()[0]).KeysAsync(pattern: "{" + prefix + "*"))
        {
            keys.Add(key.ToString());
        }

        return keys;
    }
}
