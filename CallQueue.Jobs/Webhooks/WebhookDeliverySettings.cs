namespace CallQueue.Jobs.Webhooks;

/// <summary>
/// What <see cref="DeliverWebhookJob"/> needs from the configuration: the bearer key (BACKEND_API_KEY, sent as
/// <c>Authorization: Bearer</c> when set) and the delays between tries (WEBHOOK_RETRY_DELAYS; each is jittered ±10 %):
/// one try, then one more after each delay, then the event is given up (Failed).
/// </summary>
public sealed record WebhookDeliverySettings(string? BearerToken, IReadOnlyList<TimeSpan> RetryDelays)
{
    /// <summary>5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight tries over about 28 hours (issue 13).</summary>
    public static IReadOnlyList<TimeSpan> DefaultRetryDelays { get; } =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    /// <summary>Longest wait for the endpoint's answer to one try. Default 15 s; a setting so tests can shorten it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest <c>Retry-After</c> honoured (a longer one is cut to this). Default 24 h.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long an event waits before looking again whether the previous event of its call was delivered. Default 5 s.</summary>
    public TimeSpan OrderWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No bearer key, the default delays.</summary>
    public static WebhookDeliverySettings Default { get; } = new(null, DefaultRetryDelays);
}
