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
    JobStorage storage,
    IOptions<QueueOptions> options,
    ILogger<CreateDialJobsJob> logger)
{
    public const string SweepRecurringJobId = "sweep-calls-awaiting-dial-job";

    /// <summary>Calls stored longer ago than this without a dial job are swept up.</summary>
    public static readonly TimeSpan SweepAge = TimeSpan.FromMinutes(2);

    private const int SweepLimit = 10_000;

    // A server whose heartbeat is older than this is taken for dead: its ingest is left to the sweep (Hangfire's own
    // heartbeat comes every 30 s).
    private static readonly TimeSpan LiveServerHeartbeat = TimeSpan.FromMinutes(1);

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

        var created = await CreateMissingAsync(ids, cancellationToken, leftToTheirIngest: BatchesBeingIngested());
        Log.SweptCalls(logger, created);
    }

    /// <summary>
    /// The batches whose <see cref="ForBatchAsync"/> is waiting in the internal queue or running on a live server. A long
    /// bulk ingest (a million calls: minutes of batches waiting their turn) has calls older than <see cref="SweepAge"/>
    /// that its own job is about to reach; sweeping them too created a second dial job for ~1 % of them (issue 15: the
    /// loser deleted, nobody dialed twice, but a day of Redis for nothing). Their calls are left to that job; a crashed
    /// server's is not (its heartbeat stops), nor a failed one's (no longer processing).
    /// </summary>
    private HashSet<string> BatchesBeingIngested()
    {
        var monitoring = storage.GetMonitoringApi();
        var live = monitoring.Servers()
            .Where(server => server.Heartbeat is { } beat && DateTime.UtcNow - beat < LiveServerHeartbeat)
            .Select(server => server.Name)
            .ToHashSet(StringComparer.Ordinal);
        var running = monitoring.ProcessingJobs(0, 1_000)
            .Where(job => job.Value is { ServerId: { } server } && live.Contains(server))
            .Select(job => job.Value.Job);
        var waiting = monitoring.EnqueuedJobs(HangfireQueues.InternalQueue, 0, 1_000).Select(job => job.Value?.Job);
        return running.Concat(waiting)
            .Where(job => job is not null && job.Type == typeof(CreateDialJobsJob) && job.Method.Name == nameof(ForBatchAsync) && job.Args is [string, ..])
            .Select(job => (string)job!.Args[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    private async Task<int> CreateMissingAsync(
        IReadOnlyList<string> callIds, CancellationToken cancellationToken, HashSet<string>? leftToTheirIngest = null)
    {
        var created = 0;
        await Parallel.ForEachAsync(
            callIds.Chunk(200),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.IngestWorkers, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                foreach (var call in await store.GetManyAsync(chunk, ct))
                {
                    if (call.JobId is null && !call.Status.IsTerminal()
                        && (call.BatchId is null || leftToTheirIngest?.Contains(call.BatchId) != true))
                    {
                        await factory.CreateAsync(call, ct);
                        Interlocked.Increment(ref created);
                    }
                }
            });
        return created;
    }
}
