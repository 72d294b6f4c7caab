namespace CallQueue.Jobs.Webhooks;

/// <summary>The event types (README: *Webhooks*).</summary>
public static class WebhookEventTypes
{
    public const string AttemptEnded = "call.attempt_ended";
    public const string Completed = "call.completed";
    public const string Failed = "call.failed";
    public const string Cancelled = "call.cancelled";
    public const string Unknown = "call.unknown";
    public const string Expired = "call.expired";
    public const string Blocked = "call.blocked";
    public const string BatchCompleted = "batch.completed";
}
