namespace CallQueue.Jobs.Plivo;

/// <summary>
/// The body of Plivo's make-call request (POST /v1/Account/{auth_id}/Call/), one destination per request
/// (reference/plivo-voice-api.md §2). Serialized in snake_case; null members are omitted.
/// </summary>
public sealed record MakeCallRequest
{
    public required string From { get; init; }

    public required string To { get; init; }

    public required string AnswerUrl { get; init; }

    public string AnswerMethod { get; init; } = "POST";

    public string? RingUrl { get; init; }

    public string RingMethod { get; init; } = "POST";

    public string? HangupUrl { get; init; }

    public string HangupMethod { get; init; } = "POST";

    /// <summary>Seconds after answer before Plivo hangs up (cause 6000).</summary>
    public int? TimeLimit { get; init; }

    /// <summary>Seconds to ring before giving up (cause 6010).</summary>
    public int? RingTimeout { get; init; }

    /// <summary><c>true</c> or <c>hangup</c>.</summary>
    public string? MachineDetection { get; init; }

    public string? MachineDetectionUrl { get; init; }

    public string? MachineDetectionMethod { get; init; }
}
