using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Configuration;
using CallQueue.Jobs.Queues;
using CallQueue.Jobs.Storage;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallQueue.Jobs.Ingest;

/// <summary>
/// Creates the dial jobs of calls that are stored but have none yet: a whole bulk batch right after its 202, and — as a
/// recurring sweep — any call left without a job by a crash between storing and job creation. Runs on the internal
/// queue, so it shows on the dashboard and never waits behind dial jobs.
/// </summary>
public sealed class CreateDialJobsJob(
    ICallStore store,
    DialJobFactory factory,
    IOptions<QueueOptions> options,
    ILogger<CreateDialJobsJob> logger)
{
    public const string SweepRecurringJobId = "sweep-calls-awaiting-dial-job";

    /// <summary>Calls stored longer ago than this without a dial job are swept up.</summary>
    public static readonly TimeSpan SweepAge = TimeSpan.FromMinutes(2);

    private const int SweepLimit = 10_000;

    [Queue(HangfireQueues.InternalQueue)]
    public async Task ForBatchAsync(string batchId, CancellationToken cancellationToken)
    {
        var ids = await store.GetBatchCallIdsAsync(batchId, cancellationToken);
        var created = await CreateMissingAsync(ids, cancellationToken);
        Log.BatchJobsCreated(logger, batchId, created, ids.Count);
    }

    [Queue(HangfireQueues.InternalQueue)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var ids = await store.GetCallsAwaitingJobAsync(SweepAge, SweepLimit, cancellationToken);
        if (ids.Count == 0)
        {
            return;
        }

        var created = await CreateMissingAsync(ids, cancellationToken);
        Log.SweptCalls(logger, created);
    }

    private async Task<int> CreateMissingAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var created = 0;
        await Parallel.ForEachAsync(
            callIds.Chunk(200),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.IngestWorkers, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                foreach (var call in await store.GetManyAsync(chunk, ct))
                {
                    if (call.JobId is null && !call.Status.IsTerminal())
                    {
                        await factory.CreateAsync(call, ct);
                        Interlocked.Increment(ref created);
                    }
                }
            });
        return created;
    }
}
