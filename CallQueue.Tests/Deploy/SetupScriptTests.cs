namespace CallQueue.Tests.Deploy;

/// <summary>
/// setup.sh in a scratch copy (setup.sh, env.example, global.json) with --no-build: the prerequisite checks and the
/// .env step, twice. The restore and build steps are the plain dotnet commands the test run itself has just done.
/// </summary>
[TestFixture]
public sealed class SetupScriptTests
{
    [Test]
    public async Task Run_Twice_CreatesDotEnvOnceAndNeverOverwritesIt()
    {
        using var directory = CopySetup();

        var first = await RunSetupAsync(directory);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Output, Does.Contain("created .env from env.example"));
        Assert.That(File.ReadAllText(directory.File(".env")), Is.EqualTo(File.ReadAllText(RepositoryPaths.File("env.example"))));
        Assert.That(directory.ModeOf(".env"), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        File.AppendAllText(directory.File(".env"), "REDIS_URL=redis://localhost:6379\n");
        var second = await RunSetupAsync(directory);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Contain(".env exists: kept as it is"));
        Assert.That(File.ReadAllText(directory.File(".env")), Does.EndWith("REDIS_URL=redis://localhost:6379\n"));
        Assert.That(second.Output, Does.Contain("dotnet run --project CallQueue.Api"), "prints the next steps");
    }

    [Test]
    public async Task Run_WithoutDotnet10_PrintsHowToInstallItAndFails()
    {
        using var directory = CopySetup();
        directory.WriteExecutable(
            "#!/bin/sh\nif [ \"$1\" = --list-sdks ]; then echo '8.0.404 [/usr/share/dotnet/sdk]'; else echo 8.0.404; fi\n", "bin", "dotnet");

        var result = await RunSetupAsync(directory, new Dictionary<string, string?>
        {
            ["PATH"] = directory.File("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
        });

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Error, Does.Contain("the .NET 10 SDK is missing (installed: 8.0.404)"));
        Assert.That(result.Error, Does.Contain("apt-get install -y dotnet-sdk-10.0").And.Contain("dotnet-install.sh"));
        Assert.That(File.Exists(directory.File(".env")), Is.False, "stops before changing anything");
    }

    private static TemporaryDirectory CopySetup()
    {
        var directory = RepositoryPaths.NewTemporaryDirectory("callqueue-setup-");
        directory.CopyFromRepository("setup.sh");
        directory.CopyFromRepository("env.example");
        directory.CopyFromRepository("global.json");
        return directory;
    }

    private static Task<ProcessResult> RunSetupAsync(TemporaryDirectory directory, IDictionary<string, string?>? environment = null) =>
        ProcessRunner.RunAsync("bash", [directory.File("setup.sh"), "--no-build"], directory.Path, environment, TimeSpan.FromSeconds(120));
}
