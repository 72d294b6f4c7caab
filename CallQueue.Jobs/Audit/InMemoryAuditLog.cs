namespace CallQueue.Jobs.Audit;

/// <summary>The audit log of a process without Redis (development): the same limits and order as <see cref="RedisAuditLog"/>.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly Lock _gate = new();

    // Oldest first; equal times keep the order they were recorded in.
    private readonly List<AuditEntry> _entries = [];
    private readonly Dictionary<string, List<AuditEntry>> _byTarget = new(StringComparer.Ordinal);

    public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entry = entry with { At = AuditLimits.Truncate(entry.At) };
        lock (_gate)
        {
            Insert(_entries, entry, AuditLimits.MaxEntries);
            if (!_byTarget.TryGetValue(entry.Target, out var own))
            {
                _byTarget[entry.Target] = own = [];
            }

            Insert(own, entry, AuditLimits.MaxEntriesPerTarget);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, AuditLimits.MaxListed);
        lock (_gate)
        {
            var source = query.Target is null ? _entries : _byTarget.GetValueOrDefault(query.Target) ?? [];
            IReadOnlyList<AuditEntry> page = source
                .AsEnumerable()
                .Reverse()
                .Where(entry => query.Before is not { } before || entry.At < before)
                .Take(limit)
                .ToList();
            return Task.FromResult(page);
        }
    }

    private static void Insert(List<AuditEntry> entries, AuditEntry entry, int cap)
    {
        // Entries come in time order but for clock skew between callers: find the place from the end.
        var index = entries.Count;
        while (index > 0 && entries[index - 1].At > entry.At)
        {
            index--;
        }

        entries.Insert(index, entry);
        if (entries.Count > cap)
        {
            entries.RemoveRange(0, entries.Count - cap);
        }
    }
}
