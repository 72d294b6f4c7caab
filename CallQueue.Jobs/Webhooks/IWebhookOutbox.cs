namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// The events recorded for the backend and their deliveries (Redis, or memory without REDIS_URL). Call events are added
/// by the call store in the same atomic write as the state change that causes them (never lost: a sweep delivers what a
/// crash left behind); batch events and redeliveries through <see cref="AddAsync"/>.
/// </summary>
public interface IWebhookOutbox
{
    Task<WebhookEvent?> GetAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>A call's events in sequence order.</summary>
    Task<IReadOnlyList<WebhookEvent>> GetForCallAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Adds an event unless one with its id exists (false then): batch.completed is recorded once.</summary>
    Task<bool> AddAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken);

    /// <summary>Records a try and the event's status after it (Pending while it will be tried again).</summary>
    Task RecordTryAsync(string eventId, WebhookDeliveryTry delivery, WebhookEventStatus status, CancellationToken cancellationToken);

    /// <summary>Sets an event back to Pending (redelivery), keeping its tries; false when there is no such event.</summary>
    Task<bool> ResetAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>
    /// Events recorded longer ago than <paramref name="olderThan"/> whose delivery job has not been created yet, oldest
    /// first (the sweep's input: a process that died between the state change and creating the job).
    /// </summary>
    Task<IReadOnlyList<string>> GetPendingAsync(TimeSpan olderThan, int limit, CancellationToken cancellationToken);

    /// <summary>True while the event's delivery job has not been created (it waits in the outbox).</summary>
    Task<bool> IsAwaitingJobAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>The delivery jobs of these events exist: the sweep leaves them alone.</summary>
    Task MarkDispatchedAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken);

    /// <summary>Events not delivered or given up yet (the backlog gauge).</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>Events created in [<paramref name="since"/>, <paramref name="until"/>), oldest first, for a bulk redelivery.</summary>
    Task<IReadOnlyList<WebhookEvent>> FindAsync(DateTimeOffset since, DateTimeOffset until, int limit, CancellationToken cancellationToken);

    /// <summary>An endpoint answered 410 Gone at <paramref name="at"/>: nothing more is sent there.</summary>
    Task MarkGoneAsync(string url, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>An operator sends to <paramref name="url"/> again (a redelivery): it is no longer gone.</summary>
    Task ClearGoneAsync(string url, CancellationToken cancellationToken);

    /// <summary>Endpoints that answered 410 Gone, with when.</summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> GetGoneAsync(CancellationToken cancellationToken);
}
