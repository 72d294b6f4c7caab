using System.Text.Json;

namespace CallQueue.Jobs.Calls;

/// <summary>How to place and hand over one call (the seed's <c>call_config</c> plus ours).</summary>
public sealed record CallConfig
{
    public string? FlowName { get; init; }

    /// <summary>Absolute URL Plivo fetches when the callee answers (required since the seed's migration).</summary>
    public required string AnswerUrl { get; init; }

    public string AnswerMethod { get; init; } = "POST";

    /// <summary>Free-form variables for the agent's flow, passed through untouched.</summary>
    public JsonElement? Variables { get; init; }

    public string? Voice { get; init; }

    /// <summary>Longest call after answer, seconds (Plivo time_limit).</summary>
    public int? MaxDuration { get; init; }

    public bool? RecordingEnabled { get; init; }

    /// <summary>How long to ring before giving up, seconds (Plivo ring_timeout).</summary>
    public int? RingTimeout { get; init; }

    /// <summary>Wait before the first retry of an unanswered call, seconds; doubles per attempt.</summary>
    public int? RetryDelaySeconds { get; init; }

    /// <summary>Plivo machine_detection: <c>true</c> (detect and notify) or <c>hangup</c>.</summary>
    public string? MachineDetection { get; init; }

    /// <summary>IANA time zone replacing the one(s) libphonenumber maps the number to, for calling hours.</summary>
    public string? Timezone { get; init; }

    /// <summary>The call's own calling window; it can only narrow the deployment's and the law's hours.</summary>
    public CallWindow? CallingWindow { get; init; }

    /// <summary>
    /// Absolute http(s) URL this call's events are POSTed to instead of BACKEND_URL; its host is one of
    /// WEBHOOK_ALLOWED_HOSTS (checked when the call is queued). Null: BACKEND_URL.
    /// </summary>
    public string? WebhookUrl { get; init; }
}
