using CallQueue.Jobs.Webhooks;

namespace CallQueue.Api.Webhooks;

/// <summary>One event of a call as GET /api/calls/{id}/events shows it: what was sent where, and every try.</summary>
public sealed record WebhookEventResponse(
    string Id,
    string Type,
    long Sequence,
    DateTimeOffset CreatedAt,
    string Url,
    WebhookEventStatus Status,
    IReadOnlyList<WebhookDeliveryTry> Deliveries)
{
    public static WebhookEventResponse From(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return new(webhookEvent.Id, webhookEvent.Type, webhookEvent.Sequence, webhookEvent.CreatedAt, webhookEvent.Url, webhookEvent.Status, webhookEvent.Deliveries);
    }
}
