namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// One event for the backend (issue 13), recorded in the outbox in the same atomic step as the state change that causes
/// it, then delivered by its own Hangfire job. <see cref="Id"/> is the <c>webhook-id</c> header, the same on every try and
/// redelivery (the receiver's de-duplication key); <see cref="Body"/> is the exact JSON sent
/// (<c>{"type", "timestamp", "data"}</c>), fixed when the event is recorded.
/// </summary>
public sealed record WebhookEvent
{
    /// <summary><c>evt_</c> and 32 hex digits.</summary>
    public required string Id { get; init; }

    /// <summary><see cref="WebhookEventTypes"/>: <c>call.attempt_ended</c>, <c>call.completed</c>, …, <c>batch.completed</c>.</summary>
    public required string Type { get; init; }

    public string? CallId { get; init; }

    public string? BatchId { get; init; }

    /// <summary>The call's event counter (1, 2, …): a call's events are delivered in this order. 0 for batch events.</summary>
    public long Sequence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Where it is POSTed: the call's <c>call_config.webhook_url</c>, else BACKEND_URL.</summary>
    public required string Url { get; init; }

    public required string Body { get; init; }

    public WebhookEventStatus Status { get; init; } = WebhookEventStatus.Pending;

    /// <summary>Every try, oldest first (at most the last 20).</summary>
    public IReadOnlyList<WebhookDeliveryTry> Deliveries { get; init; } = [];
}
