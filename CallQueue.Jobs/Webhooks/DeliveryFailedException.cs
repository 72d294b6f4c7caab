namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Thrown by <see cref="DeliverWebhookJob"/> when an event is given up (its last try failed) or its endpoint answered
/// 410 Gone: the job stays Failed with the message as reason (the last answer), and Hangfire does not retry it.
/// </summary>
public sealed class DeliveryFailedException : Exception
{
    public DeliveryFailedException()
    {
    }

    public DeliveryFailedException(string message)
        : base(message)
    {
    }

    public DeliveryFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
