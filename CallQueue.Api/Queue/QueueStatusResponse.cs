namespace CallQueue.Api.Queue;

/// <summary>
/// Per-priority queue lengths (Hangfire), scheduled and processing jobs, active calls against the cap, the configured
/// rate, dial workers across the cluster, calls per status, and the seed's coarse totals.
/// </summary>
public sealed record QueueStatusResponse(
    IReadOnlyDictionary<string, long> Queues,
    long Queued,
    long Scheduled,
    long Processing,
    long FailedJobs,
    long ActiveCalls,
    int MaxConcurrentCalls,
    double RateLimitPerSecond,
    int Workers,
    int Servers,
    IReadOnlyDictionary<string, long> Calls,
    IReadOnlyDictionary<string, long> Totals);
