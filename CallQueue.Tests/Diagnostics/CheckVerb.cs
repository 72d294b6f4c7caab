using CallQueue.Tests.Deploy;

namespace CallQueue.Tests.Diagnostics;

/// <summary>
/// Runs <c>dotnet CallQueue.Api.dll check</c> as a real process from the Api's build output, in an empty working
/// directory (no .env) and without the machine's CallQueue settings, and splits its report into lines.
/// </summary>
public static class CheckVerb
{
    public static async Task<CheckRun> RunAsync(IDictionary<string, string?> environment, params string[] arguments)
    {
        using var workingDirectory = RepositoryPaths.NewTemporaryDirectory("callqueue-check-");
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [RepositoryPaths.ApiAssembly(), "check", .. arguments],
            workingDirectory.Path,
            environment,
            TimeSpan.FromSeconds(120));
        return new CheckRun(result);
    }
}

/// <summary>The check's report: one PASS/WARN/FAIL line per check, then a summary.</summary>
public sealed class CheckRun(ProcessResult result)
{
    public ProcessResult Result { get; } = result;

    public int ExitCode => Result.ExitCode;

    /// <summary>Every report line (starting with PASS, WARN or FAIL).</summary>
    public IReadOnlyList<string> Lines => Result.Output
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.StartsWith("PASS ", StringComparison.Ordinal) || line.StartsWith("WARN ", StringComparison.Ordinal)
            || line.StartsWith("FAIL ", StringComparison.Ordinal))
        .ToList();

    /// <summary>The lines of one check, e.g. <c>Of("FAIL", "redis")</c>.</summary>
    public IReadOnlyList<string> Of(string status, string check) =>
        Lines.Where(line => line.StartsWith($"{status} {check}: ", StringComparison.Ordinal)).ToList();

    public override string ToString() => Result.ToString();
}
