using CallQueue.Jobs.Queues;
using Hangfire;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Recurring: creates the delivery jobs of events that were recorded (atomically with their state change) but whose
/// process died before it created them. Events younger than <see cref="Age"/> are left to the process that recorded them,
/// and one whose call's previous event is still pending is left to that event's job, which creates it when done.
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
        var ready = new List<string>(left.Count);
        foreach (var eventId in left)
        {
            // One waiting for an earlier event of its call gets its job when that one is done (DeliverWebhookJob).
            if (await outbox.GetAsync(eventId, cancellationToken) is { } waiting && !await DeliverWebhookJob.NextInLine(outbox, waiting, cancellationToken))
            {
                ready.Add(eventId);
            }
        }

        await dispatcher.DispatchAsync(ready, cancellationToken);
    }
}
