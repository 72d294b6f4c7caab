using CallQueue.Api.Diagnostics;

namespace CallQueue.Tests.Diagnostics;

/// <summary>The check verb's lines and fixes, without processes.</summary>
[TestFixture]
public sealed class CheckReportTests
{
    [Test]
    public void Format_Failure_OneLineWithItsFix()
    {
        var line = CheckResult.Fail("redis", "Redis connection failed: redis://127.0.0.1:6379 (UnableToConnect: no answer)", CheckFixes.Redis).Format();

        Assert.That(line, Is.EqualTo(
            "FAIL redis: Redis connection failed: redis://127.0.0.1:6379 (UnableToConnect: no answer) | fix: Start Redis (redis-server) or fix REDIS_URL (redis://[:password@]host:port[/db])"));
    }

    [Test]
    public void Format_WarningWithHint_LabelsTheHint()
    {
        var line = CheckResult.Warn("agent server", "AGENT_SERVER_URL not set", "export AGENT_SERVER_URL=…").Format();

        Assert.That(line, Is.EqualTo("WARN agent server: AGENT_SERVER_URL not set | hint: export AGENT_SERVER_URL=…"));
    }

    [TestCase("Plivo credentials not found: set PLIVO_AUTH_ID and PLIVO_AUTH_TOKEN", "Plivo credentials not found")]
    [TestCase("Redis connection failed: REDIS_URL is not set, and Production keeps calls in Redis", "Start Redis (redis-server) or fix REDIS_URL")]
    [TestCase("REDIS_URL is not a valid Redis URL (bad port)", "Start Redis (redis-server) or fix REDIS_URL")]
    [TestCase("AGENT_SERVER_URL is not set: Production hands every answered call to the agent server", "curl http://localhost:8765/health; export AGENT_SERVER_URL=")]
    [TestCase("QUEUE_WORKERS must be between 0 and 500 (got 9000)", "wrong config")]
    public void ForConfigurationFailure_SeedProblem_NamesItsFix(string failure, string expectedFix)
    {
        Assert.That(CheckFixes.ForConfigurationFailure(failure), Does.Contain(expectedFix));
    }

    [Test]
    public void Describe_RedisErrorCarryingThePassword_RedactsIt()
    {
        var error = new InvalidOperationException("AUTH failed for s3cret-pass on 10.0.0.3:6379\nsecond line");

        var text = RedisCheck.Describe(error, "redis://:s3cret-pass@10.0.0.3:6379");

        Assert.That(text, Is.EqualTo("AUTH failed for *** on 10.0.0.3:6379"));
    }

    [TestCase(null, null)]
    [TestCase("", null)]
    [TestCase("first,second", "first")]
    [TestCase(" first ; second", "first")]
    public void FirstApiKey_ApiKeysSetting_TakesTheFirst(string? apiKeys, string? expected)
    {
        Assert.That(QueueRoundTripCheck.FirstApiKey(apiKeys), Is.EqualTo(expected));
    }

    [TestCase(new[] { "check" }, true)]
    [TestCase(new[] { "check", "--verbose" }, true)]
    [TestCase(new string[0], false)]
    [TestCase(new[] { "--urls=http://127.0.0.1:1" }, false)]
    public void IsInvoked_CommandLine_OnlyForTheVerb(string[] args, bool expected)
    {
        Assert.That(CheckCommand.IsInvoked(args), Is.EqualTo(expected));
    }
}
