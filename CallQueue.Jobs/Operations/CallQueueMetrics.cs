using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using CallQueue.Jobs.Calls;
using CallQueue.Jobs.Plivo;

namespace CallQueue.Jobs.Operations;

/// <summary>
/// The service's counters and the dial latency (DESIGN.md §9), on the <c>CallQueue</c> meter; the Api exposes them at
/// /metrics with the gauges it reads at scrape time. Instrument names are the Prometheus names.
/// </summary>
public static class CallQueueMetrics
{
    public const string MeterName = "CallQueue";

    /// <summary>Tag of <see cref="CallsFailed"/>: the last attempt's outcome (wire name).</summary>
    public const string OutcomeTag = "outcome";

    /// <summary>Tag of <see cref="PlivoApiErrors"/>: Plivo's HTTP status, or <c>network</c>.</summary>
    public const string StatusTag = "status";

    /// <summary>Tags of <see cref="AuthenticationFailures"/>: the scheme (<c>api_key</c>, <c>dashboard</c>) and why.</summary>
    public const string SchemeTag = "scheme";

    /// <inheritdoc cref="SchemeTag"/>
    public const string ReasonTag = "reason";

    /// <summary>Tag of <see cref="SafetyHolds"/> and <see cref="SafetyStops"/>: the callee-safety rule (wire name).</summary>
    public const string RuleTag = "rule";

    /// <summary>Tag of <see cref="WebhookDeliveries"/>: <c>delivered</c>, <c>failed_try</c>, <c>given_up</c> or <c>gone</c>.</summary>
    public const string ResultTag = "result";

    /// <summary>Values of <see cref="ResultTag"/>: an event delivered (2xx).</summary>
    public const string WebhookResultDelivered = "delivered";

    /// <summary>A try that failed and will be retried.</summary>
    public const string WebhookResultFailedTry = "failed_try";

    /// <summary>An event given up after its last try (Failed).</summary>
    public const string WebhookResultGivenUp = "given_up";

    /// <summary>An event stopped by 410 Gone: its endpoint's answer, or not sent to an endpoint that gave it.</summary>
    public const string WebhookResultGone = "gone";

    private const string WebhookDeliveriesName = "callqueue_webhook_deliveries_total";
    private const string SafetyHoldsName = "callqueue_safety_holds_total";
    private const string SafetyStopsName = "callqueue_safety_stops_total";
    private const string AuthenticationFailuresName = "callqueue_authentication_failures_total";
    private const string CallsFailedName = "callqueue_calls_failed_total";
    private const string PlivoApiErrorsName = "callqueue_plivo_api_errors_total";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Calls accepted and stored (not duplicates).</summary>
    public static Counter<long> CallsQueued { get; } = Meter.CreateCounter<long>("callqueue_calls_queued_total", description: "Calls accepted and stored");

    /// <summary>Create-call requests Plivo accepted (one per attempt).</summary>
    public static Counter<long> CallsDialed { get; } = Meter.CreateCounter<long>("callqueue_calls_dialed_total", description: "Create-call requests accepted by Plivo");

    public static Counter<long> CallsCompleted { get; } = Meter.CreateCounter<long>("callqueue_calls_completed_total", description: "Calls answered and finished");

    /// <summary>Calls that ended failed or unknown, by the last attempt's outcome.</summary>
    public static Counter<long> CallsFailed { get; } = Meter.CreateCounter<long>(CallsFailedName, description: "Calls that ended failed or unknown, by outcome");

    /// <summary>Create-call requests Plivo refused (by HTTP status) or that got no answer (<c>network</c>).</summary>
    public static Counter<long> PlivoApiErrors { get; } = Meter.CreateCounter<long>(PlivoApiErrorsName, description: "Plivo create-call errors by HTTP status");

    /// <summary>Requests refused for want of valid credentials (API key or dashboard account), by scheme and reason.</summary>
    public static Counter<long> AuthenticationFailures { get; } =
        Meter.CreateCounter<long>(AuthenticationFailuresName, description: "Requests refused for missing or wrong credentials, by scheme and reason");

    /// <summary>Calls held by a callee-safety rule (calling hours, number busy, gap, cap), by rule; each hold once.</summary>
    public static Counter<long> SafetyHolds { get; } =
        Meter.CreateCounter<long>(SafetyHoldsName, description: "Calls held (not dialed yet, no attempt used) by a callee-safety rule, by rule");

    /// <summary>Calls ended undialed by a callee-safety rule (blocked, expired, failed), by rule and status.</summary>
    public static Counter<long> SafetyStops { get; } =
        Meter.CreateCounter<long>(SafetyStopsName, description: "Calls ended without being dialed by a callee-safety rule, by rule and status");

    /// <summary>Webhook deliveries by result: events delivered, given up or gone, and tries that failed (retried).</summary>
    public static Counter<long> WebhookDeliveries { get; } =
        Meter.CreateCounter<long>(WebhookDeliveriesName, description: "Webhook deliveries by result (delivered, failed_try, given_up, gone)");

    /// <summary>Duration of one webhook POST, until the endpoint's answer (or the timeout).</summary>
    public static Histogram<double> WebhookDeliveryLatency { get; } =
        Meter.CreateHistogram<double>("callqueue_webhook_delivery_seconds", unit: "s", description: "Duration of one webhook POST to the backend");

    public static Histogram<double> DialLatency { get; } = Meter.CreateHistogram<double>("callqueue_dial_latency_seconds", unit: "s", description: "Duration of Plivo's create-call request");

    /// <summary>
    /// The tags each instrument is recorded with, so an exporter can declare its labels before the first measurement
    /// (an instrument not listed has none).
    /// </summary>
    public static IReadOnlyList<string> TagNames(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        // By name, not by reference: listeners hear of the instruments while this type's initializer is still creating them.
        return instrument.Meter.Name != MeterName ? []
            : instrument.Name == CallsFailedName ? [OutcomeTag]
            : instrument.Name == PlivoApiErrorsName ? [StatusTag]
            : instrument.Name == AuthenticationFailuresName ? [SchemeTag, ReasonTag]
            : instrument.Name == SafetyHoldsName ? [RuleTag]
            : instrument.Name == SafetyStopsName ? [RuleTag, StatusTag]
            : instrument.Name == WebhookDeliveriesName ? [ResultTag]
            : [];
    }

    /// <summary>Sends the create-call request, recording its latency, acceptance or error.</summary>
    public static async Task<MakeCallResponse> MeasureDialAsync(Func<Task<MakeCallResponse>> makeCall)
    {
        ArgumentNullException.ThrowIfNull(makeCall);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await makeCall();
            CallsDialed.Add(1);
            return response;
        }
        catch (PlivoApiException ex)
        {
            PlivoApiErrors.Add(1, new KeyValuePair<string, object?>(StatusTag, ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture)));
            throw;
        }
        catch (PlivoConnectionException)
        {
            PlivoApiErrors.Add(1, new KeyValuePair<string, object?>(StatusTag, "network"));
            throw;
        }
        finally
        {
            DialLatency.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>Counts a call that reached <paramref name="status"/>: completed, or failed/unknown by outcome.</summary>
    public static void CallEnded(CallStatus status, CallOutcome? outcome)
    {
        if (status == CallStatus.Completed)
        {
            CallsCompleted.Add(1);
        }
        else if (status is CallStatus.Failed or CallStatus.Unknown)
        {
            CallsFailed.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome?.ToWire() ?? "unknown"));
        }
        else if (status == CallStatus.Expired)
        {
            // An attempt ended and its retry would have fallen after the deadline.
            SafetyDecided(SafetyRule.Deadline, CallStatus.Expired);
        }
    }

    /// <summary>Counts a callee-safety decision: a hold (<paramref name="stoppedAs"/> null) or a stop with the status it ended in.</summary>
    public static void SafetyDecided(SafetyRule rule, CallStatus? stoppedAs)
    {
        var ruleTag = new KeyValuePair<string, object?>(RuleTag, rule.ToWire());
        if (stoppedAs is { } status)
        {
            SafetyStops.Add(1, ruleTag, new KeyValuePair<string, object?>(StatusTag, status.ToWire()));
        }
        else
        {
            SafetyHolds.Add(1, ruleTag);
        }
    }

    /// <summary>Counts a webhook delivery's <paramref name="result"/> (<see cref="WebhookResultDelivered"/>, …).</summary>
    public static void WebhookDelivered(string result) => WebhookDeliveries.Add(1, new KeyValuePair<string, object?>(ResultTag, result));
}
