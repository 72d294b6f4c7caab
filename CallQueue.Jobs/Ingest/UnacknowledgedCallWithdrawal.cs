using System.Threading.Channels;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// Makes a 503 the truth. When storing calls fails because Redis went away mid-request, the write may still have landed
/// (Redis ran it, the answer was lost); the client is told nothing was queued, so such calls must never be dialed. Each
/// is handed here and taken back (<see cref="ICallStore.WithdrawAsync"/>: only if stored exactly as this request wrote
/// it, untouched since) as soon as Redis answers again, well before the sweep would give it a dial job
/// (<see cref="CreateDialJobsJob.SweepAge"/>). In-process on purpose: the request that failed is the only one that knows
/// what it wrote; a process dying within that window is the one case left to the sweep.
/// </summary>
public sealed partial class UnacknowledgedCallWithdrawal(ICallStore store, TimeProvider time, ILogger<UnacknowledgedCallWithdrawal> logger) : BackgroundService
{
    /// <summary>How long a withdrawal keeps trying while Redis is down; past the sweep's age it could only race it.</summary>
    public static readonly TimeSpan GiveUpAfter = CreateDialJobsJob.SweepAge;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly Channel<(CallRecord Call, DateTimeOffset Since)> _pending = Channel.CreateUnbounded<(CallRecord, DateTimeOffset)>();

    /// <summary>Takes back <paramref name="calls"/> if their write landed although the request failed.</summary>
    public void Withdraw(IEnumerable<CallRecord> calls)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var now = time.GetUtcNow();
        foreach (var call in calls)
        {
            _pending.Writer.TryWrite((call, now));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (call, since) in _pending.Reader.ReadAllAsync(stoppingToken))
        {
            var delay = FirstRetry;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await store.WithdrawAsync(call, stoppingToken))
                    {
                        LogWithdrawn(logger, call.CallId);
                    }

                    break;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (time.GetUtcNow() - since > GiveUpAfter)
                    {
                        LogGaveUp(logger, call.CallId, ex.GetType().Name);
                        break;
                    }

                    await Task.Delay(delay, time, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
                }
            }
        }
    }

    [LoggerMessage(2003, LogLevel.Warning, "Call {CallId}: its request was answered 503 but the write had landed; taken back, it will not be dialed")]
    private static partial void LogWithdrawn(ILogger logger, string callId);

    [LoggerMessage(2004, LogLevel.Error, "Call {CallId}: its request was answered 503, and storage stayed unreachable ({ExceptionType}) too long to make sure it was not stored; if it was, the sweep will dial it")]
    private static partial void LogGaveUp(ILogger logger, string callId, string exceptionType);
}
