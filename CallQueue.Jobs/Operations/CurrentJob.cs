using Hangfire.Server;

namespace CallQueue.Jobs.Operations;

/// <summary>
/// The Hangfire job this flow of execution performs, for job methods that take no <see cref="PerformContext"/> argument
/// (issue 15: a <c>PerformContext</c> or <c>CancellationToken</c> parameter is written into every job's
/// <c>ParameterTypes</c>, which then no longer fits Redis's compact hash encoding). Set by
/// <see cref="CurrentJobFilter"/>: Hangfire runs the server filters and then the job method synchronously on the
/// worker's thread, and hands the job method that thread's execution context (its <c>AsyncLocal</c> values), also after
/// the method's first await; <c>CallQueue.Tests/Operations/CurrentJobTests</c> checks this on a real Hangfire server.
/// Null outside a job run, e.g. when a test calls a job method directly.
/// </summary>
internal static class CurrentJob
{
    private static readonly AsyncLocal<PerformContext?> Performing = new();

    public static PerformContext? Context
    {
        get => Performing.Value;
        set => Performing.Value = value;
    }
}
