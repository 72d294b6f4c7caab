using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Webhooks;

namespace CallQueue.Jobs.Storage;

/// <summary>
/// Call records in this process only: the development default when REDIS_URL is not set (with Hangfire.InMemory).
/// Same semantics as <see cref="RedisCallStore"/>; nothing survives a restart. With <paramref name="events"/> and
/// <paramref name="outbox"/>, a change's webhook events are recorded under the same lock as the change (issue 13).
/// </summary>
public sealed class InMemoryCallStore(TimeProvider time, CallWebhookEvents? events = null, IWebhookOutbox? outbox = null) : ICallStore
{
    private readonly CallWebhookEvents _events = events ?? CallWebhookEvents.None;

    // RedisCallStore's TTL of an idempotency key (CallStoreKeys): from the call's creation, not extended by a hit.
    private static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromDays(7);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, CallRecord> _calls = new(StringComparer.Ordinal);

    // Key → call id and when the key lapses. Checked on use; a lapsed entry stays until its key is used again (memory
    // no larger than the calls, which this store keeps for good).
    private readonly Dictionary<string, (string CallId, DateTimeOffset ExpiresAt)> _idempotencyKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _awaitingJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CampaignIndexEntry>> _campaigns = new(StringComparer.Ordinal);
    private long _indexed;

    public Task<IReadOnlyList<CreateCallResult>> CreateAsync(IReadOnlyList<CallRecord> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var now = time.GetUtcNow();
        var results = new List<CreateCallResult>(calls.Count);
        lock (_gate)
        {
            var groups = CampaignIndexGroups.Of(calls);
            for (var n = 0; n < calls.Count; n++)
            {
                var call = calls[n];
                if (call.IdempotencyKey is not null
                    && _idempotencyKeys.TryGetValue(call.IdempotencyKey, out var existing)
                    && existing.ExpiresAt > now)
                {
                    results.Add(new CreateCallResult(existing.CallId, Created: false));
                    continue;
                }

                var (stored, recorded) = _events.Derive(before: null, call, now);
                if (!_calls.TryAdd(call.CallId, stored))
                {
                    results.Add(new CreateCallResult(call.CallId, Created: false));
                    continue;
                }

                Record(recorded);
                if (call.IdempotencyKey is not null)
                {
                    _idempotencyKeys[call.IdempotencyKey] = (call.CallId, now + IdempotencyKeyLifetime);
                }

                if (!call.Status.IsTerminal())
                {
                    _awaitingJob[call.CallId] = now;
                }

                if (!_campaigns.TryGetValue(call.CampaignId, out var campaign))
                {
                    _campaigns[call.CampaignId] = campaign = [];
                }

                // As RedisCallStore's index: a call by its id when stored, a bulk request's group by its created_at.
                campaign.Add(groups[n] is { } group
                    ? new CampaignIndexEntry(call.CallId, call.CreatedAt.ToUnixTimeMilliseconds(), group, ++_indexed)
                    : new CampaignIndexEntry(call.CallId, now.ToUnixTimeMilliseconds(), call.CallId, ++_indexed));
                if (call.BatchId is not null)
                {
                    if (!_batches.TryGetValue(call.BatchId, out var batch))
                    {
                        _batches[call.BatchId] = batch = [];
                    }

                    batch.Add(call.CallId);
                }

                results.Add(new CreateCallResult(call.CallId, Created: true));
            }
        }

        return Task.FromResult<IReadOnlyList<CreateCallResult>>(results);
    }

    public Task<bool> WithdrawAsync(CallRecord written, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        lock (_gate)
        {
            // Records are immutable and every update stores a new one: the very instance means "untouched since".
            if (!_calls.TryGetValue(written.CallId, out var stored) || !ReferenceEquals(stored, written))
            {
                return Task.FromResult(false);
            }

            _calls.Remove(written.CallId);
            _awaitingJob.Remove(written.CallId);
            _campaigns.GetValueOrDefault(written.CampaignId)?.RemoveAll(entry => entry.CallId == written.CallId);
            if (written.BatchId is not null)
            {
                _batches.GetValueOrDefault(written.BatchId)?.Remove(written.CallId);
            }

            if (written.IdempotencyKey is not null
                && _idempotencyKeys.TryGetValue(written.IdempotencyKey, out var key)
                && key.CallId == written.CallId)
            {
                _idempotencyKeys.Remove(written.IdempotencyKey);
            }

            return Task.FromResult(true);
        }
    }

    public Task<CallRecord?> GetAsync(string callId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_calls.GetValueOrDefault(callId));
        }
    }

    public Task<IReadOnlyList<CallRecord>> GetManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<CallRecord> records = callIds.Select(_calls.GetValueOrDefault).OfType<CallRecord>().ToList();
            return Task.FromResult(records);
        }
    }

    public Task<CallRecord?> UpdateAsync(string callId, Func<CallRecord, CallRecord?> mutate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        lock (_gate)
        {
            if (!_calls.TryGetValue(callId, out var current))
            {
                return Task.FromResult<CallRecord?>(null);
            }

            var updated = mutate(current);
            if (updated is null)
            {
                return Task.FromResult<CallRecord?>(current);
            }

            var now = time.GetUtcNow();
            (updated, var recorded) = _events.Derive(current, updated with { UpdatedAt = now }, now);
            _calls[callId] = updated;
            Record(recorded);
            if (updated.JobId is not null)
            {
                _awaitingJob.Remove(callId);
            }

            return Task.FromResult<CallRecord?>(updated);
        }
    }

    public Task<string?> AssignJobAsync(CallRecord stored, string jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return AssignJobAsync(stored.CallId, jobId, cancellationToken);
    }

    public async Task<string?> AssignJobAsync(string callId, string jobId, CancellationToken cancellationToken)
    {
        var record = await UpdateAsync(callId, call => call.JobId is null ? call with { JobId = jobId } : null, cancellationToken);
        return record?.JobId;
    }

    public Task<IReadOnlyList<string>> GetCallsAwaitingJobAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - olderThan;
        lock (_gate)
        {
            IReadOnlyList<string> ids = _awaitingJob.Where(entry => entry.Value <= before)
                .OrderBy(entry => entry.Value)
                .Take(limit)
                .Select(entry => entry.Key)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    // Called under the store's lock; the outbox has its own, taken inside this one only.
    private void Record(IReadOnlyList<WebhookEvent> recorded)
    {
        foreach (var webhookEvent in recorded)
        {
            _ = outbox?.AddAsync(webhookEvent, CancellationToken.None);
        }
    }

    public Task<BatchProgress> GetBatchProgressAsync(string batchId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Development storage: a walk over the batch is fine here (Redis keeps a counter).
            var ids = _batches.TryGetValue(batchId, out var batch) ? batch.ToList() : [];
            return Task.FromResult(new BatchProgress(ids.Count, ids.Count(id => _calls.TryGetValue(id, out var call) && call.Status.IsTerminal())));
        }
    }

    public Task<IReadOnlyList<string>> GetBatchCallIdsAsync(string batchId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _batches.TryGetValue(batchId, out var batch) ? batch.ToList() : [];
            return Task.FromResult(ids);
        }
    }

    public Task<string?> GetFirstBatchCallIdAsync(string batchId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_batches.TryGetValue(batchId, out var batch) && batch.Count > 0 ? batch[0] : null);
        }
    }

    public Task<IReadOnlyList<CampaignCallEntry>> GetCampaignCallIdsAsync(
        string campaignId, CampaignCursor? after, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            // The order of Redis's ZREVRANGEBYSCORE: newest first, ties in reverse member order (a call's id, or its group's
            // entry), a group's calls in reverse request order.
            IReadOnlyList<CampaignCallEntry> page = !_campaigns.TryGetValue(campaignId, out var campaign)
                ? []
                : campaign.Where(entry => after is not { } at || entry.CreatedAtMs <= at.CreatedAtMs)
                    .OrderByDescending(entry => entry.CreatedAtMs)
                    .ThenByDescending(entry => entry.Member, StringComparer.Ordinal)
                    .ThenByDescending(entry => entry.Sequence)
                    .Skip(after?.Skip ?? 0)
                    .Take(count)
                    .Select(entry => new CampaignCallEntry(entry.CallId, entry.CreatedAtMs))
                    .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<string>> GetActiveCallIdsAsync(int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _calls.Values.Where(call => call.Status.IsActive()).Take(limit).Select(call => call.CallId).ToList();
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyDictionary<CallStatus, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var counts = Enum.GetValues<CallStatus>().ToDictionary(status => status, _ => 0L);
            foreach (var call in _calls.Values)
            {
                counts[call.Status]++;
            }

            return Task.FromResult<IReadOnlyDictionary<CallStatus, long>>(counts);
        }
    }

    public Task<IReadOnlyDictionary<SafetyRule, long>> CountWaitingByReasonAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var counts = WaitingCounts.Empty();
            foreach (var call in _calls.Values)
            {
                if (WaitingCounts.RuleOf(call) is { } rule)
                {
                    counts[rule]++;
                }
            }

            return Task.FromResult<IReadOnlyDictionary<SafetyRule, long>>(counts);
        }
    }

    // Development storage: the tallies, the campaign list and the search by number walk the calls (Redis keeps indexes).
    public Task<CallTally?> GetCampaignTallyAsync(string campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(TallyOf(_calls.Values.Where(call => call.CampaignId == campaignId).ToList()));
        }
    }

    public Task<CallTally?> GetBatchTallyAsync(string batchId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(TallyOf(_calls.Values.Where(call => call.BatchId == batchId).ToList()));
        }
    }

    public Task<LineTime> GetLineTimeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var tally = CallTally.Of(_calls.Values);
            return Task.FromResult(new LineTime(tally.AttemptsEnded, tally.LineSeconds));
        }
    }

    public Task<IReadOnlyList<string>> GetCampaignIdsAsync(long skip, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _campaigns.Where(pair => pair.Value.Count > 0)
                .OrderByDescending(pair => pair.Value.Min(entry => entry.CreatedAtMs))
                .ThenByDescending(pair => pair.Key, StringComparer.Ordinal)
                .Skip((int)Math.Min(skip, int.MaxValue))
                .Take(count)
                .Select(pair => pair.Key)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    public Task<IReadOnlyList<string>> FindCallIdsByPhoneNumberAsync(string phoneNumber, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<string> ids = _calls.Values.Where(call => call.PhoneNumber == phoneNumber)
                .OrderByDescending(call => call.CreatedAt)
                .ThenByDescending(call => call.CallId, StringComparer.Ordinal)
                .Take(limit)
                .Select(call => call.CallId)
                .ToList();
            return Task.FromResult(ids);
        }
    }

    private static CallTally? TallyOf(List<CallRecord> calls) => calls.Count == 0
        ? null
        : CallTally.Of(calls, calls.Min(call => call.CreatedAt), calls.Max(call => call.UpdatedAt));

    public Task<TimeSpan> PingAsync(CancellationToken cancellationToken) => Task.FromResult(TimeSpan.Zero);

    // A call in a campaign's index: Member is what Redis's sorted set holds for it (its id, or its group's entry).
    private readonly record struct CampaignIndexEntry(string CallId, long CreatedAtMs, string Member, long Sequence);
}
