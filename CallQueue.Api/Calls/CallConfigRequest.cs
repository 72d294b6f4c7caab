using System.Text.Json;

namespace CallQueue.Api.Calls;

/// <summary>The <c>call_config</c> object of a call request: the seed's fields plus ours (DESIGN.md §5).</summary>
public sealed record CallConfigRequest
{
    public string? FlowName { get; init; }

    /// <summary>Absolute http(s) URL Plivo fetches when the callee answers. Required.</summary>
    public string? AnswerUrl { get; init; }

    /// <summary><c>GET</c> or <c>POST</c> (default), any case.</summary>
    public string? AnswerMethod { get; init; }

    /// <summary>A JSON object passed untouched to the agent; JSON null counts as not given.</summary>
    public JsonElement? Variables { get; init; }

    public string? Voice { get; init; }

    /// <summary>Longest call after answer, seconds.</summary>
    public int? MaxDuration { get; init; }

    public bool? RecordingEnabled { get; init; }

    /// <summary>How long to ring before giving up, seconds.</summary>
    public int? RingTimeout { get; init; }

    /// <summary>Wait before the first retry of an unanswered call, seconds; doubles per attempt.</summary>
    public int? RetryDelaySeconds { get; init; }

    /// <summary><c>true</c>, <c>false</c>, <c>"true"</c>, <c>"false"</c> or <c>"hangup"</c>.</summary>
    public JsonElement? MachineDetection { get; init; }

    /// <summary>
    /// IANA time zone id (<c>Asia/Kolkata</c>) replacing the zone(s) the number maps to for calling hours; required for a
    /// number whose zone is unknown.
    /// </summary>
    public string? Timezone { get; init; }

    /// <summary>The call's own calling window; it can only narrow the deployment's and the law's hours.</summary>
    public CallingWindowRequest? CallingWindow { get; init; }

    /// <summary>
    /// Absolute http(s) URL this call's events are POSTed to instead of BACKEND_URL. Its host must be one of
    /// WEBHOOK_ALLOWED_HOSTS (default: BACKEND_URL's host), so a request cannot aim signed events anywhere; refused when
    /// BACKEND_URL is not set.
    /// </summary>
    public string? WebhookUrl { get; init; }

    /// <summary>
    /// Plivo's machine_detection value: <c>"true"</c>, <c>"hangup"</c>, or null when off or not given. Call after validation.
    /// </summary>
    /// <exception cref="FormatException">The value is not one of the accepted forms.</exception>
    public string? ParseMachineDetection()
    {
        if (RequestFormats.IsAbsent(MachineDetection))
        {
            return null;
        }

        return RequestFormats.TryParseMachineDetection(MachineDetection!.Value, out var value)
            ? value
            : throw new FormatException("call_config.machine_detection must be true, false or \"hangup\".");
    }
}
