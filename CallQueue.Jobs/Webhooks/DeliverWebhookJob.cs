using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CallQueue.Jobs.Operations;
using CallQueue.Jobs.Queues;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// Delivers one recorded event (issue 13): POSTs its body to its URL, signed as Standard Webhooks (<c>webhook-id</c>,
/// <c>webhook-timestamp</c> of this try, <c>webhook-signature</c>), records the try in the outbox, and on failure has
/// itself rescheduled after the next delay of the schedule (or the server's <c>Retry-After</c> when longer) through
/// <see cref="DeliveryRetryFilter"/>, never by waiting in a worker. 2xx is delivered; a redirect is not followed (a failed
/// try with its status); 410 Gone stops delivery to that endpoint for good. A call's events go out in sequence order:
/// an event waits while the previous one of its call is Pending. Runs on the internal queue, never behind dial jobs.
/// </summary>
public sealed class DeliverWebhookJob(
    HttpClient http,
    IWebhookOutbox outbox,
    IWebhookSigning signing,
    WebhookDeliverySettings settings,
    TimeProvider time,
    ILogger<DeliverWebhookJob> logger,
    IBatchCompletion? batches = null,
    IWebhookDispatcher? dispatcher = null)
{
    /// <summary>Unexpected failures (the outbox does not answer) are retried by Hangfire a few times; the sweep covers the rest.</summary>
    private const int UnexpectedFailureRetries = 3;

    /// <summary>Enqueues the delivery of <paramref name="eventId"/> on the internal queue.</summary>
    public static string EnqueueFor(IBackgroundJobClient jobs, string eventId)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return jobs.Enqueue<DeliverWebhookJob>(HangfireQueues.InternalQueue, job => job.RunAsync(eventId, null, CancellationToken.None));
    }

    [Queue(HangfireQueues.InternalQueue)]
    [DeliveryRetryFilter]
    [AutomaticRetry(Attempts = UnexpectedFailureRetries, ExceptOn = [typeof(DeliveryFailedException), typeof(DeliveryStoppedException)])]
    public async Task RunAsync(string eventId, PerformContext? context, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(eventId, context, cancellationToken);
        }
        finally
        {
            await SendNextAsync(eventId);
        }
    }

    /// <summary>
    /// A call's later events wait in the outbox, without a job, until the one before them is delivered or given up
    /// (<see cref="NextInLine"/>): then its job is created here, so the order costs no polling.
    /// </summary>
    private async Task SendNextAsync(string eventId)
    {
        if (dispatcher is null)
        {
            return;
        }

        try
        {
            var done = await outbox.GetAsync(eventId, CancellationToken.None);
            if (done is { CallId: { } callId, Status: not WebhookEventStatus.Pending }
                && CallWebhookEvents.EventId(callId, done.Sequence + 1) is var next
                && await outbox.IsAwaitingJobAsync(next, CancellationToken.None))
            {
                await dispatcher.DispatchAsync([next], CancellationToken.None);
            }
        }
#pragma warning disable CA1031 // the sweep sends the next event if this fails; the run's own outcome must stand
        catch (Exception ex)
#pragma warning restore CA1031
        {
            DeliveryLog.NotSent(logger, eventId, $"its successor's job was left to the sweep ({ex.GetType().Name})");
        }
    }

    /// <summary>True when <paramref name="webhookEvent"/> should wait for its predecessor's job to create its own.</summary>
    public static async Task<bool> NextInLine(IWebhookOutbox outbox, WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return webhookEvent is { CallId: { } callId, Sequence: > 1 }
            && await outbox.GetAsync(CallWebhookEvents.EventId(callId, webhookEvent.Sequence - 1), cancellationToken) is { Status: WebhookEventStatus.Pending };
    }

    private async Task DeliverAsync(string eventId, PerformContext? context, CancellationToken cancellationToken)
    {
        var webhookEvent = await outbox.GetAsync(eventId, cancellationToken);
        if (webhookEvent is null || webhookEvent.Status is WebhookEventStatus.Delivered or WebhookEventStatus.Gone)
        {
            DeliveryLog.NotSent(logger, eventId, webhookEvent is null ? "no such event" : $"already {webhookEvent.Status.ToString().ToLowerInvariant()}");
            return;
        }

        if (batches is not null && webhookEvent is { BatchId: { } batchId, CallId: not null } && webhookEvent.Type != WebhookEventTypes.AttemptEnded)
        {
            // The batch's last call to end has its terminal event here: batch.completed is recorded once, and as durably.
            await batches.CheckAsync(batchId, cancellationToken);
        }

        await WaitForPreviousAsync(webhookEvent, cancellationToken);
        var target = DeliveryTarget.Describe(webhookEvent.Url);
        var tryNumber = DeliverySchedule.NextTry(webhookEvent);
        var gone = await outbox.GetGoneAsync(cancellationToken);
        if (gone.TryGetValue(webhookEvent.Url, out var goneAt))
        {
            await StopAsync(webhookEvent, target, tryNumber, goneAt);
        }

        var at = time.GetUtcNow();
        var answer = await PostAsync(webhookEvent, at.ToUnixTimeSeconds(), cancellationToken);

        // The try is recorded even during shutdown: the request has been sent.
        var delivery = new WebhookDeliveryTry(at, tryNumber, answer.StatusCode, Math.Round(answer.Latency.TotalMilliseconds, 1), answer.Error);
        CallQueueMetrics.WebhookDeliveryLatency.Record(answer.Latency.TotalSeconds);
        if (answer.Error is null)
        {
            await outbox.RecordTryAsync(eventId, delivery, WebhookEventStatus.Delivered, CancellationToken.None);
            CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultDelivered);
            DeliveryLog.Delivered(
                logger, eventId, webhookEvent.Type, webhookEvent.CallId, target, tryNumber, (long)answer.Latency.TotalMilliseconds, context?.BackgroundJob.Id);
            return;
        }

        if (answer.StatusCode == (int)HttpStatusCode.Gone)
        {
            await outbox.RecordTryAsync(eventId, delivery, WebhookEventStatus.Gone, CancellationToken.None);
            await outbox.MarkGoneAsync(webhookEvent.Url, at, CancellationToken.None);
            CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultGone);
            DeliveryLog.EndpointGone(logger, target, eventId);
            throw new DeliveryFailedException(
                $"Webhook {webhookEvent.Type} to {target} answered {answer.Error} on try {tryNumber}: delivery to that endpoint stopped (no more events are sent there)");
        }

        await RetryOrGiveUpAsync(webhookEvent, target, delivery, answer);
    }

    /// <summary>Throws (to be rescheduled) while the previous event of the call is neither delivered nor given up.</summary>
    private async Task WaitForPreviousAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken)
    {
        if (webhookEvent.CallId is not { } callId || webhookEvent.Sequence <= 1)
        {
            return;
        }

        var previousSequence = webhookEvent.Sequence - 1;
        var events = await outbox.GetForCallAsync(callId, cancellationToken);
        if (events.FirstOrDefault(other => other.Sequence == previousSequence) is { Status: WebhookEventStatus.Pending } previous)
        {
            DeliveryLog.WaitingForPrevious(logger, webhookEvent.Id, previousSequence, callId, previous.Type);
            throw new DeliveryRetryException(
                string.Create(CultureInfo.InvariantCulture, $"Waiting for event {previousSequence} of {callId} ({previous.Type}, {previous.Id}) to be delivered or given up"),
                settings.OrderWait);
        }
    }

    /// <summary>An endpoint that answered 410 Gone gets nothing more: the event is Gone without being sent.</summary>
    private async Task StopAsync(WebhookEvent webhookEvent, string target, int tryNumber, DateTimeOffset goneAt)
    {
        var reason = string.Create(
            CultureInfo.InvariantCulture,
            $"Not sent: {target} answered 410 Gone at {goneAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC; delivery to that endpoint stopped");
        await outbox.RecordTryAsync(webhookEvent.Id, new WebhookDeliveryTry(time.GetUtcNow(), tryNumber, null, 0, reason), WebhookEventStatus.Gone, CancellationToken.None);
        CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultGone);
        DeliveryLog.NotSent(logger, webhookEvent.Id, reason);
        throw new DeliveryStoppedException($"Webhook {webhookEvent.Type} {reason}");
    }

    private async Task RetryOrGiveUpAsync(WebhookEvent webhookEvent, string target, WebhookDeliveryTry delivery, Answer answer)
    {
        var error = answer.Error!;
        var delay = DeliverySchedule.DelayAfter(delivery.Try, settings.RetryDelays, Random.Shared.NextDouble());
        if (delay is not { } scheduled)
        {
            await outbox.RecordTryAsync(webhookEvent.Id, delivery, WebhookEventStatus.Failed, CancellationToken.None);
            CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultGivenUp);
            DeliveryLog.GivenUp(logger, webhookEvent.Id, webhookEvent.Type, target, delivery.Try, error);
            throw new DeliveryFailedException(
                string.Create(CultureInfo.InvariantCulture, $"Webhook {webhookEvent.Type} to {target} failed after {delivery.Try} tries: {error}"));
        }

        var retryAfter = answer.RetryAfter is { } asked && asked > scheduled;
        var wait = retryAfter ? answer.RetryAfter!.Value : scheduled;
        await outbox.RecordTryAsync(webhookEvent.Id, delivery, WebhookEventStatus.Pending, CancellationToken.None);
        CallQueueMetrics.WebhookDelivered(CallQueueMetrics.WebhookResultFailedTry);
        var next = $"{DeliverySchedule.Describe(wait)}{(retryAfter ? " (its Retry-After)" : string.Empty)}";
        DeliveryLog.TryFailed(logger, webhookEvent.Id, webhookEvent.Type, target, delivery.Try, error, next);
        throw new DeliveryRetryException(
            string.Create(CultureInfo.InvariantCulture, $"Webhook {webhookEvent.Type} to {target}: {error} on try {delivery.Try} → try {delivery.Try + 1} in {next}"),
            wait);
    }

    /// <summary>One POST, within <see cref="WebhookDeliverySettings.RequestTimeout"/>; the error is null for a 2xx.</summary>
    private async Task<Answer> PostAsync(WebhookEvent webhookEvent, long timestamp, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookEvent.Url)
        {
            Content = new StringContent(webhookEvent.Body, Encoding.UTF8, "application/json"),
        };
        var timestampText = timestamp.ToString(CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("webhook-id", webhookEvent.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestampText);
        if (signing.Sign(webhookEvent.Id, timestamp, webhookEvent.Body) is { Length: > 0 } signature)
        {
            // Unsigned only in Development without WEBHOOK_SECRET (Production refuses to start so, and start warns).
            request.Headers.TryAddWithoutValidation("webhook-signature", signature);
        }
        if (!string.IsNullOrEmpty(settings.BearerToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.BearerToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Headers only: the answer's body is not read (it may echo the event, phone numbers included).
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var latency = Stopwatch.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new Answer(status, null, latency, null);
            }

            var error = string.Create(CultureInfo.InvariantCulture, $"{status} {response.ReasonPhrase ?? response.StatusCode.ToString()}");
            if (status is >= 300 and < 400)
            {
                error += " (redirects are not followed)";
            }

            return new Answer(status, error, latency, DeliverySchedule.RetryAfter(response.Headers.RetryAfter, time.GetUtcNow(), settings.MaxRetryAfter));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer(null, $"no answer within {DeliverySchedule.Describe(settings.RequestTimeout)}", Stopwatch.GetElapsedTime(started), null);
        }
        catch (HttpRequestException ex)
        {
            return new Answer(null, $"unreachable: {ex.Message}", Stopwatch.GetElapsedTime(started), null);
        }
    }

    private sealed record Answer(int? StatusCode, string? Error, TimeSpan Latency, TimeSpan? RetryAfter);
}
