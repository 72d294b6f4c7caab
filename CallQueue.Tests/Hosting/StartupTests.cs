using System.Globalization;
using CallQueue.Tests.Deploy;
using CallQueue.Tests.Infrastructure;

namespace CallQueue.Tests.Hosting;

/// <summary>The service as a real process (Program.cs and its catch) at start: a failure is one clear line, not a stack trace.</summary>
[TestFixture]
[Category("Integration")]
public sealed class StartupTests
{
    [Test]
    public async Task Start_RedisUnreachable_ExitsWithOneClearLineAndNoStackTrace()
    {
        var redisUrl = $"redis://127.0.0.1:{FreePort.Next()}";
        using var workingDirectory = RepositoryPaths.NewTemporaryDirectory("callqueue-start-");

        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [RepositoryPaths.ApiAssembly()],
            workingDirectory.Path,
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["HOST"] = "127.0.0.1",
                ["PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
                ["REDIS_URL"] = redisUrl,
                ["PLIVO_MODE"] = "sandbox",
                ["LOG_FILE"] = string.Empty,
            },
            TimeSpan.FromSeconds(60));

        var errorLines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
            Assert.That(errorLines, Has.Length.EqualTo(1), result.ToString());
            Assert.That(errorLines.FirstOrDefault(), Does.StartWith($"CallQueue cannot start: Redis connection failed: {redisUrl} ("), result.ToString());
            Assert.That(result.Error, Does.Not.Contain("Unhandled exception").And.Not.Contain("   at "), result.ToString());
        });
    }
}
