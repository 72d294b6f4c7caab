namespace CallQueue.Tests.Deploy;

/// <summary>
/// The README's run command, <c>dotnet run --project CallQueue.Api</c> typed in the repository root, reads the root's
/// <c>.env</c> (which setup.sh creates) and writes <c>queue_system.log</c> there: the app runs in the directory the
/// command was typed in, not in the project's folder where the Web SDK would start it.
/// </summary>
[TestFixture]
public sealed class QuickStartTests
{
    [Test]
    public async Task DotnetRun_FromTheRepositoryRoot_RunsInTheRepositoryRoot()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            ["msbuild", RepositoryPaths.File("CallQueue.Api", "CallQueue.Api.csproj"), "-nologo", "-getProperty:RunWorkingDirectory"],
            RepositoryPaths.Root,
            environment: null,
            TimeSpan.FromSeconds(120));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Path.TrimEndingDirectorySeparator(result.Output.Trim()), Is.EqualTo(RepositoryPaths.Root), "the working directory of dotnet run");
    }
}
