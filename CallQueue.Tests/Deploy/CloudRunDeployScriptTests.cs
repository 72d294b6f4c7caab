namespace CallQueue.Tests.Deploy;

/// <summary>
/// deploy/cloudrun/deploy.sh --dry-run: the gcloud commands it would run, from a clean environment. A fake gcloud first
/// on PATH records any call, proving the dry run never runs gcloud (a real one may be installed on the machine).
/// </summary>
[TestFixture]
public sealed class CloudRunDeployScriptTests
{
    private static readonly Dictionary<string, string?> SampleEnvironment = new()
    {
        ["GCP_PROJECT"] = "my-project",
        ["GCP_REGION"] = "europe-west1",
        ["GCP_PROJECT_NUMBER"] = "123456789012",
        ["PLIVO_AUTH_ID"] = "MAXXXXXXXXXXXXXXXXXX",
        ["PLIVO_NUMBER"] = "14155550100",
        ["AGENT_SERVER_URL"] = "https://agent.example.com",
        ["DASHBOARD_USERNAME"] = "ops",
        ["REDIS_URL"] = "redis://10.0.0.3:6379",
        ["VPC_NETWORK"] = "default",
        ["QUEUE_WORKERS"] = "20",
    };

    [Test]
    public async Task DryRun_SampleEnvironment_PrintsOneServiceWithMinInstancesAndSecrets()
    {
        using var sandbox = new GcloudSandbox();

        var result = await sandbox.RunAsync(SampleEnvironment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var deploy = result.Output.Split('\n').SingleOrDefault(line => line.StartsWith("gcloud run deploy ", StringComparison.Ordinal));
        Assert.That(deploy, Is.Not.Null, result.ToString());
        Assert.That(deploy, Does.StartWith("gcloud run deploy call-queue "));
        Assert.That(deploy, Does.Contain(" --min-instances 1 "));
        Assert.That(deploy, Does.Contain(" --no-cpu-throttling "));
        Assert.That(deploy, Does.Contain(" --port 8000 "));
        Assert.That(deploy, Does.Contain(" --allow-unauthenticated "));
        Assert.That(deploy, Does.Contain(" --network default ").And.Contain(" --vpc-egress private-ranges-only "));
        Assert.That(deploy, Does.Match(@"--set-secrets \S*PLIVO_AUTH_TOKEN=plivo-auth-token:latest"));
        Assert.That(deploy, Does.Match(@"--set-secrets \S*API_KEYS=callqueue-api-keys:latest"));
        Assert.That(deploy, Does.Match(@"--set-env-vars \S*AGENT_SERVER_URL=https://agent.example.com"));
        Assert.That(deploy, Does.Contain("PUBLIC_BASE_URL=https://call-queue-123456789012.europe-west1.run.app"));
        Assert.That(deploy, Does.Contain("REDIS_URL=redis://10.0.0.3:6379").And.Contain("QUEUE_WORKERS=20"));
        Assert.That(result.Output, Does.Contain("gcloud builds submit ").And.Contain("deploy/cloudrun/cloudbuild.yaml"));
        Assert.That(sandbox.GcloudWasCalled, Is.False, "a dry run must not run gcloud");
    }

    [Test]
    public async Task DryRun_SecretValuesInTheEnvironment_NeverPrinted()
    {
        using var sandbox = new GcloudSandbox();
        var environment = new Dictionary<string, string?>(SampleEnvironment)
        {
            ["PLIVO_AUTH_TOKEN"] = "token-value-must-not-leak",
            ["API_KEYS"] = "key-value-must-not-leak",
            ["DASHBOARD_USERNAME"] = "ops",
            ["DASHBOARD_PASSWORD"] = "password-must-not-leak",
        };

        var result = await sandbox.RunAsync(environment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.ToString(), Does.Not.Contain("must-not-leak"));
        Assert.That(result.Output, Does.Contain("DASHBOARD_PASSWORD=callqueue-dashboard-password:latest").And.Contain("DASHBOARD_USERNAME=ops"));
    }

    [TestCase("AGENT_SERVER_URL")]
    [TestCase("GCP_PROJECT")]
    [TestCase("REDIS_URL")]
    [TestCase("PLIVO_AUTH_ID")]
    public async Task DryRun_RequiredVariableMissing_FailsNamingIt(string variable)
    {
        using var sandbox = new GcloudSandbox();
        var environment = new Dictionary<string, string?>(SampleEnvironment) { [variable] = null };

        var result = await sandbox.RunAsync(environment);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("missing required variable(s)").And.Contain(variable));
        Assert.That(result.Output, Does.Not.Contain("gcloud run deploy"));
    }

    [Test]
    public async Task DryRun_RedisUrlWithPassword_RefusesWithoutPrintingIt()
    {
        using var sandbox = new GcloudSandbox();
        var environment = new Dictionary<string, string?>(SampleEnvironment) { ["REDIS_URL"] = "redis://:hunter2@10.0.0.3:6379" };

        var result = await sandbox.RunAsync(environment);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("REDIS_URL_SECRET"));
        Assert.That(result.ToString(), Does.Not.Contain("hunter2"));
    }

    [Test]
    public async Task DryRun_RedisUrlSecret_PassedAsSecret()
    {
        using var sandbox = new GcloudSandbox();
        var environment = new Dictionary<string, string?>(SampleEnvironment) { ["REDIS_URL"] = null, ["REDIS_URL_SECRET"] = "callqueue-redis-url" };

        var result = await sandbox.RunAsync(environment);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("REDIS_URL=callqueue-redis-url:latest").And.Not.Contain("REDIS_URL=redis://"));
    }

    [Test]
    public async Task DryRun_MinInstancesZero_Refuses()
    {
        using var sandbox = new GcloudSandbox();
        var environment = new Dictionary<string, string?>(SampleEnvironment) { ["MIN_INSTANCES"] = "0" };

        var result = await sandbox.RunAsync(environment);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("MIN_INSTANCES must be at least 1"));
    }

    [TestCase("setup.sh")]
    [TestCase("deploy/cloudrun/deploy.sh")]
    [TestCase("deploy/healthcheck.sh")]
    public async Task BashSyntax_Script_Parses(string script)
    {
        var result = await ProcessRunner.RunAsync("bash", ["-n", RepositoryPaths.File(script.Split('/'))], RepositoryPaths.Root);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
    }

    /// <summary>A clean environment whose PATH starts with a fake gcloud that leaves a marker file when called.</summary>
    private sealed class GcloudSandbox : IDisposable
    {
        private readonly TemporaryDirectory _directory = RepositoryPaths.NewTemporaryDirectory("callqueue-gcloud-");

        public GcloudSandbox()
        {
            _directory.WriteExecutable($"#!/bin/sh\ntouch '{Marker}'\necho 'fake gcloud called' >&2\nexit 97\n", "bin", "gcloud");
        }

        public bool GcloudWasCalled => File.Exists(Marker);

        private string Marker => _directory.File("gcloud-called");

        public Task<ProcessResult> RunAsync(IDictionary<string, string?> variables)
        {
            var environment = new Dictionary<string, string?>(variables)
            {
                ["PATH"] = _directory.File("bin") + ":/usr/local/bin:/usr/bin:/bin",
                ["HOME"] = _directory.Path,
            };
            return ProcessRunner.RunAsync(
                "bash",
                [RepositoryPaths.File("deploy", "cloudrun", "deploy.sh"), "--dry-run"],
                _directory.Path,
                environment,
                TimeSpan.FromSeconds(30),
                inheritEnvironment: false);
        }

        public void Dispose() => _directory.Dispose();
    }
}
