namespace CallQueue.Api.Queue;

/// <summary>
/// Per-priority queue lengths (Hangfire), scheduled and processing jobs, active calls and leased slots against the cap,
/// the configured and achieved (last 60 s) create-call rates, whether dialing is paused (agent gate) and why, dial
/// workers across the cluster, calls per status, calls waiting on a callee-safety hold by its rule (calling_hours,
/// number_busy, number_gap, number_cap), and the seed's coarse totals (expired counts as failed, blocked as cancelled).
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
    double AchievedRatePerSecond,
    long SlotsInUse,
    bool DialingPaused,
    string? PausedReason,
    int Workers,
    int Servers,
    IReadOnlyDictionary<string, long> Calls,
    IReadOnlyDictionary<string, long> WaitingByReason,
    IReadOnlyDictionary<string, long> Totals);
