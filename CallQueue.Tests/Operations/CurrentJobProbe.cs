using System.Collections.Concurrent;
using CallQueue.Jobs.Operations;

namespace CallQueue.Tests.Operations;

/// <summary>
/// A job for <see cref="CurrentJobTests"/>, performed by a real Hangfire worker: reports what <see cref="CurrentJob"/>
/// says during its run (<see cref="CurrentJobProbeReport"/>), including whether the run's shutdown token is the token
/// Hangfire passes for a <see cref="CancellationToken"/> parameter (what DialCallJob.DialAsync uses in place of one).
/// </summary>
public static class CurrentJobProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource<CurrentJobProbeReport>> Reports = new(StringComparer.Ordinal);

    /// <summary>What the run of <paramref name="probeId"/> saw, once it has run.</summary>
    public static Task<CurrentJobProbeReport> ReportAsync(string probeId) => Report(probeId).Task;

    public static async Task RunAsync(string probeId, CancellationToken cancellationToken)
    {
        var before = CurrentJob.Context;
        await Task.Yield();
        var afterYield = CurrentJob.Context;
        await Task.Delay(TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
        var onThreadPool = CurrentJob.Context;
        Report(probeId).TrySetResult(new CurrentJobProbeReport(
            before?.BackgroundJob.Id,
            afterYield?.BackgroundJob.Id,
            onThreadPool?.BackgroundJob.Id,
            before is not null && before.CancellationToken.ShutdownToken == cancellationToken));
    }

    private static TaskCompletionSource<CurrentJobProbeReport> Report(string probeId) =>
        Reports.GetOrAdd(probeId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
