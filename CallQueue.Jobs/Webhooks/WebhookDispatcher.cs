using CallQueue.Jobs.Queues;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Creates one <see cref="DeliverWebhookJob"/> per event on the internal queue (visible on the dashboard) and marks the
/// events dispatched. Never throws for storage's sake: an event whose job could not be created stays in the outbox and
/// the sweep (<see cref="WebhookSweepJob"/>) creates it; webhooks never slow dialing or an API answer.
/// </summary>
public sealed partial class WebhookDispatcher(IBackgroundJobClient jobs, IWebhookOutbox outbox, ILogger<WebhookDispatcher> logger) : IWebhookDispatcher
{
    public async Task DispatchAsync(IReadOnlyList<string> eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        if (eventIds.Count == 0)
        {
            return;
        }

        var created = new List<string>(eventIds.Count);
        try
        {
            foreach (var eventId in eventIds)
            {
                var job = Job.FromExpression<DeliverWebhookJob>(deliver => deliver.RunAsync(eventId, null, CancellationToken.None), HangfireQueues.InternalQueue);
                jobs.Create(job, new EnqueuedState(HangfireQueues.InternalQueue) { Reason = "Recorded" });
                created.Add(eventId);
            }

            await outbox.MarkDispatchedAsync(created, CancellationToken.None);
        }
#pragma warning disable CA1031 // the sweep retries whatever failed here; the caller's change is already written
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogDeferred(logger, eventIds.Count - created.Count, ex.GetType().Name);
        }
    }

    [LoggerMessage(6101, LogLevel.Warning, "{Count} webhook events recorded, but their delivery jobs could not be created ({ExceptionType}); the sweep creates them")]
    private static partial void LogDeferred(ILogger logger, int count, string exceptionType);
}
