namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Creates the delivery jobs of recorded events (one Hangfire job per event, on the internal queue) and tells the
/// outbox, so the sweep leaves them alone. A failure here loses nothing: the sweep creates what is missing.
/// </summary>
public interface IWebhookDispatcher
{
    Task DispatchAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken);
}
