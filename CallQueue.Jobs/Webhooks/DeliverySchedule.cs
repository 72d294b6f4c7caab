using System.Globalization;
using System.Net.Http.Headers;

namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// When an event is tried next. Tries are numbered from the event's recorded tries (not Hangfire's retry count), so a
/// re-enqueued job (the sweep after a crash) continues the schedule where it stopped. A round is one try plus one per
/// delay; a redelivered event (or one requeued from the dashboard) after a given-up round starts a new round.
/// </summary>
public static class DeliverySchedule
{
    private const double Jitter = 0.10;

    /// <summary>The number of the event's next try: 1, or one more than the last recorded.</summary>
    public static int NextTry(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        return webhookEvent.Deliveries.Count == 0 ? 1 : webhookEvent.Deliveries.Max(delivery => delivery.Try) + 1;
    }

    /// <summary>
    /// The delay of the schedule after failed try <paramref name="tryNumber"/>, jittered ±10 % (<paramref name="unit"/>:
    /// a number in [0, 1), where 0.5 is no jitter); null when that was the round's last try.
    /// </summary>
    public static TimeSpan? DelayAfter(int tryNumber, IReadOnlyList<TimeSpan> delays, double unit)
    {
        ArgumentNullException.ThrowIfNull(delays);
        ArgumentOutOfRangeException.ThrowIfLessThan(tryNumber, 1);
        var position = (tryNumber - 1) % (delays.Count + 1);
        return position < delays.Count ? delays[position] * (1 - Jitter + (2 * Jitter * unit)) : null;
    }

    /// <summary>The wait a <c>Retry-After</c> header asks for (seconds or an HTTP date), at most <paramref name="max"/>; null without one.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan max)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => (TimeSpan?)null,
        };
        return wait switch
        {
            null => null,
            { } value when value <= TimeSpan.Zero => TimeSpan.Zero,
            { } value => value < max ? value : max,
        };
    }

    /// <summary>"300 ms", "5 s", "30 min", "2 h": for reasons shown to people.</summary>
    public static string Describe(TimeSpan delay) => delay.TotalSeconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMilliseconds:0} ms"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalSeconds:0} s"),
        < 7_200 => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMinutes:0} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{delay.TotalHours:0.#} h"),
    };
}
