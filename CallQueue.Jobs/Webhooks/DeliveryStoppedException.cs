namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Thrown by <see cref="DeliverWebhookJob"/> for an event not sent at all because its endpoint answered 410 Gone
/// earlier: <see cref="DeliveryRetryFilter"/> deletes the job with the message as reason (the endpoint's own 410 is the
/// Failed job that reports it; the events after it do not crowd the Failed list).
/// </summary>
public sealed class DeliveryStoppedException : Exception
{
    public DeliveryStoppedException()
    {
    }

    public DeliveryStoppedException(string message)
        : base(message)
    {
    }

    public DeliveryStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
