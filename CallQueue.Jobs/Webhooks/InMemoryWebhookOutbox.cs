namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// The events in this process only (tests, and development without REDIS_URL): same semantics as the Redis outbox,
/// nothing survives a restart. Thread-safe; every read returns a snapshot. Keeps an event's last
/// <see cref="MaxTriesKept"/> tries, as the Redis outbox does.
/// </summary>
public sealed class InMemoryWebhookOutbox(TimeProvider time) : IWebhookOutbox
{
    public const int MaxTriesKept = 20;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, WebhookEvent> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _gone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _awaitingJob = new(StringComparer.Ordinal);

    public Task<WebhookEvent?> GetAsync(string eventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.GetValueOrDefault(eventId));
        }
    }

    public Task<IReadOnlyList<WebhookEvent>> GetForCallAsync(string callId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookEvent> events = [.. _events.Values.Where(e => e.CallId == callId).OrderBy(e => e.Sequence)];
            return Task.FromResult(events);
        }
    }

    public Task<bool> AddAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        lock (_gate)
        {
            var added = _events.TryAdd(webhookEvent.Id, webhookEvent);
            if (added)
            {
                _awaitingJob.Add(webhookEvent.Id);
            }

            return Task.FromResult(added);
        }
    }

    public Task RecordTryAsync(string eventId, WebhookDeliveryTry delivery, WebhookEventStatus status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            if (_events.TryGetValue(eventId, out var webhookEvent))
            {
                _events[eventId] = webhookEvent with { Status = status, Deliveries = [.. webhookEvent.Deliveries.Append(delivery).TakeLast(MaxTriesKept)] };
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> ResetAsync(string eventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_events.TryGetValue(eventId, out var webhookEvent))
            {
                return Task.FromResult(false);
            }

            _events[eventId] = webhookEvent with { Status = WebhookEventStatus.Pending };
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> GetPendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - olderThan;
        lock (_gate)
        {
            IReadOnlyList<string> ids =
            [
                .. _events.Values
                    .Where(e => _awaitingJob.Contains(e.Id) && e.CreatedAt < before)
                    .OrderBy(e => e.CreatedAt)
                    .Take(limit)
                    .Select(e => e.Id),
            ];
            return Task.FromResult(ids);
        }
    }

    public Task<bool> IsAwaitingJobAsync(string eventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_awaitingJob.Contains(eventId));
        }
    }

    public Task MarkDispatchedAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        lock (_gate)
        {
            _awaitingJob.ExceptWith(eventIds);
        }

        return Task.CompletedTask;
    }

    public Task ClearGoneAsync(string url, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _gone.Remove(url);
        }

        return Task.CompletedTask;
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_events.Values.Count(e => e.Status == WebhookEventStatus.Pending));
        }
    }

    public Task<IReadOnlyList<WebhookEvent>> FindAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookEvent> events =
                [.. _events.Values.Where(e => e.CreatedAt >= since && e.CreatedAt < until).OrderBy(e => e.CreatedAt).Take(limit)];
            return Task.FromResult(events);
        }
    }

    public Task MarkGoneAsync(string url, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Since when: the first 410 stands.
            _gone.TryAdd(url, at);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, DateTimeOffset>> GetGoneAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, DateTimeOffset> gone = new Dictionary<string, DateTimeOffset>(_gone, StringComparer.Ordinal);
            return Task.FromResult(gone);
        }
    }
}
