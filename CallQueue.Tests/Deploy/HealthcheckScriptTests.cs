using System.Globalization;
using CallQueue.Tests.Infrastructure;
using CallQueue.Tests.Support;

namespace CallQueue.Tests.Deploy;

/// <summary>deploy/healthcheck.sh, the image's HEALTHCHECK (bash /dev/tcp, no curl), against the real service.</summary>
[TestFixture]
public sealed class HealthcheckScriptTests
{
    [Test]
    public async Task Healthcheck_ServiceHealthy_ExitsZero()
    {
        await using var app = CallQueueApp.InMemory();

        var result = await RunHealthcheckAsync(app.Port);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    [Test]
    public async Task Healthcheck_NothingListening_ExitsOne()
    {
        var result = await RunHealthcheckAsync(FreePort.Next());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("nothing listens on 127.0.0.1:"));
    }

    [Test]
    public async Task Healthcheck_RedisDown_ExitsOneOn503()
    {
        await using var redis = await RedisServer.StartNewAsync();
        await using var app = CallQueueApp.WithRedis(redisUrl: redis.Url);
        await redis.StopAsync();

        var result = await RunHealthcheckAsync(app.Port, timeoutSeconds: 30);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("answered 'HTTP/1.1 503"));
    }

    private static Task<ProcessResult> RunHealthcheckAsync(int port, int timeoutSeconds = 5) =>
        ProcessRunner.RunAsync(
            "bash",
            [RepositoryPaths.File("deploy", "healthcheck.sh")],
            RepositoryPaths.Root,
            new Dictionary<string, string?>
            {
                ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
                ["HEALTHCHECK_TIMEOUT"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(timeoutSeconds + 30));
}
