namespace CallQueue.Jobs.Webhooks;

/// <summary>Where an event's delivery stands.</summary>
public enum WebhookEventStatus
{
    /// <summary>Not delivered yet; its job tries (again).</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Given up after the last retry (Failed on the dashboard with the last answer); can be redelivered.</summary>
    Failed,

    /// <summary>The endpoint answered 410 Gone: nothing more is sent there (reported on /api/health).</summary>
    Gone,
}
