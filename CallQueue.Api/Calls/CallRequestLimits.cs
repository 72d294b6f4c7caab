using CallQueue.Jobs.Configuration;

namespace CallQueue.Api.Calls;

/// <summary>
/// Limits on what a call request may carry (DESIGN.md §5). Constants, not options: they are part of the API
/// contract, and a client must not find them different from one deployment to the next.
/// </summary>
public static class CallRequestLimits
{
    /// <summary>Most calls in one bulk-queue request.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>Longest <c>custom_call_id</c> or <c>batch_id</c>; both are 1..128 characters of <c>[A-Za-z0-9._:-]</c>.</summary>
    public const int IdMaxLength = 128;

    /// <summary>
    /// Longest call id: a <c>custom_call_id</c> or a bulk call's derived <c>{batch_id}-00042</c> (the batch id, a dash and
    /// five digits), which every endpoint taking a call id accepts.
    /// </summary>
    public const int CallIdMaxLength = IdMaxLength + 6;

    public const int CampaignIdMaxLength = 128;

    public const int FlowNameMaxLength = 128;

    public const int VoiceMaxLength = 64;

    public const int AnswerUrlMaxLength = 2048;

    public const int WebhookUrlMaxLength = 2048;

    /// <summary>Largest <c>call_config.variables</c>, in bytes of compact UTF-8 JSON (16 KB).</summary>
    public const int VariablesMaxBytes = 16 * 1024;

    /// <summary>Digits after the <c>+</c> of an E.164 number: at least 8, at most 15 (ITU-T E.164).</summary>
    public const int PhoneNumberMinDigits = 8;

    public const int PhoneNumberMaxDigits = 15;

    /// <summary>Smallest <c>max_retries</c> (attempts after the first).</summary>
    public const int MaxRetriesMin = 0;

    public const int MaxRetriesMax = 10;

    /// <summary><c>max_retries</c> when the request leaves it out.</summary>
    public const int DefaultMaxRetries = QueueOptions.DefaultMaxRetries;

    /// <summary><c>call_config.max_duration</c> range, seconds (one day at most).</summary>
    public const int MaxDurationMinSeconds = 1;

    public const int MaxDurationMaxSeconds = 86_400;

    /// <summary><c>call_config.ring_timeout</c> range, seconds.</summary>
    public const int RingTimeoutMinSeconds = 5;

    public const int RingTimeoutMaxSeconds = 300;

    /// <summary><c>call_config.retry_delay_seconds</c> range, seconds.</summary>
    public const int RetryDelayMinSeconds = 1;

    public const int RetryDelayMaxSeconds = 86_400;

    /// <summary>Furthest <c>scheduled_at</c> may lie in the future, days.</summary>
    public const int ScheduleMaxDaysAhead = 365;

    /// <summary>
    /// Furthest <c>scheduled_at</c> may lie in the past, days. A past time means "now" (clock skew, a retried
    /// request); anything older is more likely a mistake than an intent.
    /// </summary>
    public const int ScheduleMaxDaysInPast = 1;

    /// <summary>Longest <c>Idempotency-Key</c> header value; it is 1..128 printable ASCII characters without spaces.</summary>
    public const int IdempotencyKeyMaxLength = 128;
}
