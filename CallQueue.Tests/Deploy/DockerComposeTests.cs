namespace CallQueue.Tests.Deploy;

/// <summary>
/// deploy/docker-compose.yml parses (`config` needs no Docker engine): with the Compose plugin (`docker compose`) when it
/// is installed, else Debian's `docker-compose` (run-tests.sh installs it). Neither installed fails the test.
/// </summary>
[TestFixture]
public sealed class DockerComposeTests
{
    private const string InstallHint =
        "neither `docker compose` (the Compose plugin) nor `docker-compose` is installed: run ./run-tests.sh (it installs Debian's "
        + "docker-compose) or apt-get install docker-compose";

    [Test]
    public async Task Config_ComposeFile_ParsesWithRedisPersistenceHealthChecksAndWorkers()
    {
        using var directory = CopyComposeProject();

        var result = await ComposeAsync(directory, "--profile", "workers", "config");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("redis:7"));
        Assert.That(result.Output, Does.Contain("appendonly").And.Contain("everysec").And.Contain("noeviction"), "Redis runs with AOF and noeviction");
        Assert.That(result.Output, Does.Contain("redis://redis:6379"));
        Assert.That(result.Output, Does.Contain("service_healthy"), "the service waits for a healthy Redis");
        Assert.That(result.Output, Does.Contain("redis-cli").And.Contain("/usr/local/bin/callqueue-healthcheck"));
        Assert.That(result.Output, Does.Contain("deploy/Dockerfile"));
        Assert.That(result.Output, Does.Contain("8000"));
        Assert.That(result.Output, Does.Contain("worker:").And.Contain("QUEUE_WORKERS"));
    }

    [Test]
    public async Task Config_Services_ListsRedisCallQueueAndWorker()
    {
        using var directory = CopyComposeProject();

        var result = await ComposeAsync(directory, "--profile", "workers", "config", "--services");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var services = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.That(services, Is.EquivalentTo(new[] { "redis", "callqueue", "worker" }));
    }

    [Test]
    public async Task Config_WithObservabilityFile_AddsPrometheusAndGrafanaWithTheDashboard()
    {
        using var directory = CopyComposeProject();
        directory.CopyFromRepository("deploy", "docker-compose.observability.yml");
        var observability = directory.File("deploy", "docker-compose.observability.yml");

        var services = await ComposeAsync(directory, "-f", observability, "config", "--services");
        var config = await ComposeAsync(directory, "-f", observability, "config");

        Assert.That(services.ExitCode, Is.Zero, services.ToString());
        Assert.That(
            services.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Is.SupersetOf(new[] { "redis", "callqueue", "prometheus", "grafana" }));
        Assert.That(config.ExitCode, Is.Zero, config.ToString());
        Assert.That(config.Output, Does.Contain("prometheus.yml").And.Contain("grafana/dashboards").And.Contain("127.0.0.1"));
    }

    /// <summary>deploy/ with the compose file and what it references, plus ../.env from env.example (as setup.sh makes it).</summary>
    private static TemporaryDirectory CopyComposeProject()
    {
        var directory = RepositoryPaths.NewTemporaryDirectory("callqueue-compose-");
        directory.CopyFromRepository("deploy", "docker-compose.yml");
        directory.CopyFromRepository("deploy", "Dockerfile");
        directory.CopyFromRepository("deploy", "healthcheck.sh");
        File.Copy(RepositoryPaths.File("env.example"), directory.File(".env"));
        return directory;
    }

    private static async Task<ProcessResult> ComposeAsync(TemporaryDirectory directory, params string[] arguments)
    {
        var composeFile = directory.File("deploy", "docker-compose.yml");
        var plugin = await ProcessRunner.TryRunAsync("docker", ["compose", "version"], directory.Path, timeout: TimeSpan.FromSeconds(30));
        if (plugin is { ExitCode: 0 })
        {
            return await ProcessRunner.RunAsync("docker", ["compose", "-f", composeFile, .. arguments], directory.Path, timeout: TimeSpan.FromSeconds(60));
        }

        var standalone = await ProcessRunner.TryRunAsync("docker-compose", ["-f", composeFile, .. arguments], directory.Path, timeout: TimeSpan.FromSeconds(60));
        if (standalone is null)
        {
            Assert.Fail(InstallHint);
        }

        return standalone!;
    }
}
