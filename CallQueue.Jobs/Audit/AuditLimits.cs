namespace CallQueue.Jobs.Audit;

/// <summary>
/// How much of the audit log is kept, the same in Redis and in memory: at ~250 bytes an entry (twice: the log and its
/// target's copy) 100,000 entries are ~50 MB at most, years of operator actions at human pace.
/// </summary>
public static class AuditLimits
{
    /// <summary>The newest entries kept; older ones are dropped as new ones come.</summary>
    public const int MaxEntries = 100_000;

    /// <summary>The newest entries kept per target (a campaign's page, a call's history).</summary>
    public const int MaxEntriesPerTarget = 1_000;

    /// <summary>Most entries one listing returns.</summary>
    public const int MaxListed = 200;

    /// <summary>A target's own list expires this long after its last entry (the entries stay in the whole log).</summary>
    public static readonly TimeSpan TargetRetention = TimeSpan.FromDays(90);

    /// <summary>Entries are kept to the millisecond (the Redis score), in both stores, so both list alike.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
