namespace CallQueue.Jobs.Safety;

/// <summary>The do-not-call list in this process only (no REDIS_URL); same semantics as <see cref="RedisDoNotCallList"/>.</summary>
public sealed class InMemoryDoNotCallList : IDoNotCallList
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<DoNotCallEntry>> _numbers = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<bool>> AddAsync(IReadOnlyList<string> phoneNumbers, DoNotCallEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(phoneNumbers);
        ArgumentNullException.ThrowIfNull(entry);
        entry = entry with { AddedAt = DoNotCallEncoding.Truncate(entry.AddedAt) };
        DoNotCallEncoding.Encode([entry]); // the same refusals as Redis
        foreach (var number in phoneNumbers)
        {
            DoNotCallKeys.Digits(number);
        }

        var results = new List<bool>(phoneNumbers.Count);
        lock (_gate)
        {
            foreach (var number in phoneNumbers)
            {
                var entries = _numbers.TryGetValue(number, out var list) ? list : _numbers[number] = [];
                var added = !entries.Any(entry.SameScope);
                if (added)
                {
                    entries.Add(entry);
                }

                results.Add(added);
            }
        }

        return Task.FromResult<IReadOnlyList<bool>>(results);
    }

    public Task<IReadOnlyList<DoNotCallEntry>> GetAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        DoNotCallKeys.Digits(phoneNumber);
        lock (_gate)
        {
            IReadOnlyList<DoNotCallEntry> entries = _numbers.TryGetValue(phoneNumber, out var list) ? DoNotCallEncoding.Sorted(list).ToList() : [];
            return Task.FromResult(entries);
        }
    }

    public Task<bool> RemoveAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken)
    {
        DoNotCallKeys.Digits(phoneNumber);
        lock (_gate)
        {
            if (!_numbers.TryGetValue(phoneNumber, out var entries))
            {
                return Task.FromResult(false);
            }

            var removed = entries.RemoveAll(entry => string.Equals(entry.CampaignId, campaignId, StringComparison.Ordinal)) > 0;
            if (entries.Count == 0)
            {
                _numbers.Remove(phoneNumber);
            }

            return Task.FromResult(removed);
        }
    }

    public async Task<DoNotCallEntry?> IsBlockedAsync(string phoneNumber, string? campaignId, CancellationToken cancellationToken) =>
        (await GetAsync(phoneNumber, cancellationToken)).FirstOrDefault(entry => entry.Blocks(campaignId));

    public Task<IReadOnlyList<DoNotCallEntry?>> IsBlockedAsync(
        IReadOnlyList<(string PhoneNumber, string? CampaignId)> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        foreach (var (number, _) in calls)
        {
            DoNotCallKeys.Digits(number);
        }

        lock (_gate)
        {
            IReadOnlyList<DoNotCallEntry?> found = calls
                .Select(call => _numbers.TryGetValue(call.PhoneNumber, out var entries)
                    ? DoNotCallEncoding.Sorted(entries).FirstOrDefault(entry => entry.Blocks(call.CampaignId))
                    : null)
                .ToList();
            return Task.FromResult(found);
        }
    }
}
