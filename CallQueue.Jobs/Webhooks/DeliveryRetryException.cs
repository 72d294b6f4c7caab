namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Thrown by <see cref="DeliverWebhookJob"/> when an event is to be tried again later: its try failed and the schedule
/// has a delay left, or it waits for the previous event of its call. <see cref="DeliveryRetryFilter"/> reschedules the
/// job after <see cref="Delay"/> with the message as reason.
/// </summary>
public sealed class DeliveryRetryException : Exception
{
    public DeliveryRetryException()
    {
    }

    public DeliveryRetryException(string message)
        : base(message)
    {
    }

    public DeliveryRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DeliveryRetryException(string message, TimeSpan delay)
        : base(message)
    {
        Delay = delay;
    }

    public TimeSpan Delay { get; }
}
