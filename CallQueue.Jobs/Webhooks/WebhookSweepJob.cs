using CallQueue.Jobs.Queues;
using Hangfire;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Recurring: creates the delivery jobs of events that were recorded (atomically with their state change) but whose
/// process died before it created them. Events younger than <see cref="Age"/> are left to the process that recorded them.
/// </summary>
public sealed class WebhookSweepJob(IWebhookOutbox outbox, IWebhookDispatcher dispatcher)
{
    public const string RecurringJobId = "sweep-webhook-outbox";

    public static readonly TimeSpan Age = TimeSpan.FromSeconds(30);

    private const int Limit = 10_000;

    [Queue(HangfireQueues.InternalQueue)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var left = await outbox.GetPendingAsync(Age, Limit, cancellationToken);
        await dispatcher.DispatchAsync(left, cancellationToken);
    }
}
