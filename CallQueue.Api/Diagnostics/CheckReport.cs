using System.Globalization;

namespace CallQueue.Api.Diagnostics;

/// <summary>Prints each check's line as soon as it is known, then a summary; the exit code is 1 when any check failed.</summary>
internal sealed class CheckReport(TextWriter output)
{
    private readonly List<CheckResult> _results = [];

    public IReadOnlyList<CheckResult> Results => _results;

    public int Failed => _results.Count(result => result.Status == CheckStatus.Fail);

    public int Warnings => _results.Count(result => result.Status == CheckStatus.Warn);

    public int Passed => _results.Count(result => result.Status == CheckStatus.Pass);

    public int ExitCode => Failed == 0 ? 0 : 1;

    public void Add(CheckResult result)
    {
        _results.Add(result);
        output.WriteLine(result.Format());
        output.Flush();
    }

    public void WriteSummary()
    {
        var counts = string.Create(CultureInfo.InvariantCulture, $"{Passed} passed, {Warnings} {(Warnings == 1 ? "warning" : "warnings")}, {Failed} failed");
        output.WriteLine();
        output.WriteLine(Failed == 0
            ? $"Summary: {counts}: CallQueue is ready."
            : $"Summary: {counts}: fix the FAIL lines above (the usual suspects: Plivo credentials not found, Agent server unreachable, "
              + "Redis connection failed, wrong config) and run the check again.");
        output.Flush();
    }
}
