using System.Collections.Concurrent;
using System.Globalization;
using CallQueue.Jobs.Agent;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Dialing;
using CallQueue.Jobs.Ingest;
using CallQueue.Jobs.Lifecycle;
using CallQueue.Jobs.Storage;
using CallQueue.Jobs.Webhooks;
using Hangfire.Common;
using StackExchange.Redis;

namespace CallQueue.Api.Dashboard;

/// <summary>
/// Job names that speak calls, for Hangfire's DisplayNameFunc: "Dial +91•••••6789 · campaign-123 · attempt 2/4" — the
/// number masked (personal data), the attempt the call is on (or dials next) out of its budget. The dashboard asks
/// synchronously, once per job on a page, so names for lists are kept a few seconds (a job's own page always reads the
/// call afresh); a store that fails or is slow never breaks a page: the name then falls back to the call id. Webhook
/// deliveries read as "Webhook call.completed · call_… · try 3", from the outbox, kept and falling back the same way.
/// </summary>
internal sealed class DashboardJobNames(ICallStore store, TimeProvider time, IWebhookOutbox? outbox = null)
{
    private const int MaxEntries = 10_000;
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (string Name, DateTimeOffset At)> _names = new(StringComparer.Ordinal);

    /// <summary>The name of <paramref name="job"/>; <paramref name="fresh"/>: read the call even if its name was kept.</summary>
    public string For(Job job, bool fresh = false)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (job.Type.Name, job.Method.Name) switch
        {
            // DialAsync since issue 15; ExecuteAsync for dial jobs stored before it, which still run and read the same.
            (nameof(DialCallJob), nameof(DialCallJob.DialAsync) or nameof(DialCallJob.ExecuteAsync)) when job.Args is [string callId, ..] => DialName(callId, fresh),
            (nameof(CreateDialJobsJob), nameof(CreateDialJobsJob.ForBatchAsync)) => $"Create dial jobs · batch {job.Args[0]}",
            (nameof(CreateDialJobsJob), nameof(CreateDialJobsJob.SweepAsync)) => "Create dial jobs · calls left without one",
            (nameof(NotifyAgentJob), nameof(NotifyAgentJob.RunAsync)) when job.Args is [string callId, int attempt, ..] =>
                string.Create(CultureInfo.InvariantCulture, $"Hand call {callId} to the agent · attempt {attempt}"),
            (nameof(ReconcileCallsJob), nameof(ReconcileCallsJob.RunAsync)) => "Settle calls whose callbacks never came",
            (nameof(DeliverWebhookJob), nameof(DeliverWebhookJob.RunAsync)) when job.Args is [string eventId, ..] => WebhookName(eventId, fresh),
            _ => $"{job.Type.Name}.{job.Method.Name}",
        };
    }

    /// <summary>
    /// "Dial +91•••••6789 · campaign-123 · attempt 2/4", and for a call a callee-safety rule holds, why and until when
    /// (" · held: calling hours until 2026-12-07 03:30 UTC"), so the Scheduled page lists each waiting call's reason.
    /// </summary>
    public static string Describe(CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var held = call is { Hold: { } hold, Status: CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry }
            ? string.Create(CultureInfo.InvariantCulture, $" · held: {hold.Rule.ToWire().Replace('_', ' ')} until {hold.Until.UtcDateTime:yyyy-MM-dd HH:mm} UTC")
            : string.Empty;
        return $"Dial {PhoneNumberMask.Mask(call.PhoneNumber)} · {call.CampaignId} · {AttemptText(call)}{held}";
    }

    /// <summary>
    /// "Webhook call.completed · call_… · try 3": the try it makes next while Pending, else its last try and how it
    /// ended (" · delivered", " · failed", " · gone").
    /// </summary>
    public static string Describe(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var subject = webhookEvent.CallId ?? webhookEvent.BatchId ?? webhookEvent.Id;
        var next = DeliverySchedule.NextTry(webhookEvent);
        return webhookEvent.Status == WebhookEventStatus.Pending
            ? string.Create(CultureInfo.InvariantCulture, $"Webhook {webhookEvent.Type} · {subject} · try {next}")
            : string.Create(CultureInfo.InvariantCulture, $"Webhook {webhookEvent.Type} · {subject} · try {next - 1} · {webhookEvent.Status.ToString().ToLowerInvariant()}");
    }

    private static string AttemptText(CallRecord call)
    {
        var made = call.Attempts.Count;
        var waiting = call.Status is CallStatus.Queued or CallStatus.Scheduled or CallStatus.Retry && call.LastAttempt is not { Outcome: null };
        if (made == 0 && !waiting)
        {
            return $"not dialed ({call.Status.ToWire()})";
        }

        return string.Create(CultureInfo.InvariantCulture, $"attempt {(waiting ? made + 1 : made)}/{call.AttemptBudget}");
    }

    private string DialName(string callId, bool fresh) => Cached(
        callId,
        fresh,
        async token => await store.GetAsync(callId, token) is { } call ? Describe(call) : $"Dial call {callId} (no call record)",
        $"Dial call {callId}");

    private string WebhookName(string eventId, bool fresh) => outbox is null
        ? $"Webhook event {eventId}"
        : Cached(
            eventId,
            fresh,
            async token => await outbox.GetAsync(eventId, token) is { } webhookEvent ? Describe(webhookEvent) : $"Webhook event {eventId} (no event record)",
            $"Webhook event {eventId}");

    /// <summary>The name kept for <paramref name="key"/> (a call or event id) unless stale or <paramref name="fresh"/>; <paramref name="fallback"/> when the lookup fails.</summary>
    private string Cached(string key, bool fresh, Func<CancellationToken, Task<string>> lookup, string fallback)
    {
        var now = time.GetUtcNow();
        if (!fresh && _names.TryGetValue(key, out var cached) && now - cached.At < Freshness)
        {
            return cached.Name;
        }

        string name;
        try
        {
            using var timeout = new CancellationTokenSource(LookupTimeout);
            name = lookup(timeout.Token).WaitAsync(LookupTimeout).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return fallback;
        }

        if (_names.Count >= MaxEntries)
        {
            _names.Clear();
        }

        _names[key] = (name, now);
        return name;
    }
}
