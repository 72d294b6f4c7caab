namespace CallQueue.Jobs.Webhooks;

/// <summary>One try of an event: when, which try (1, 2, …), the HTTP status (null: no answer), how long, and the error in words.</summary>
public sealed record WebhookDeliveryTry(DateTimeOffset At, int Try, int? StatusCode, double LatencyMs, string? Error);
