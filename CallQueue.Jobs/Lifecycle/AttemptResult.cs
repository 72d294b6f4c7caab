namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// What Plivo told us about how one attempt ended: a hangup callback or a call detail record, in Plivo's own terms
/// (reference/plivo-voice-api.md §4.2, §6). <see cref="HangupOutcomeClassifier"/> turns it into an outcome.
/// </summary>
public sealed record AttemptResult
{
    /// <summary>Plivo's request_uuid of the call the result is for (callbacks' RequestUUID), when known.</summary>
    public string? RequestUuid { get; init; }

    public string? CallUuid { get; init; }

    /// <summary>Plivo's CallStatus: completed, busy, failed, timeout, no-answer, cancel, …</summary>
    public string? CallStatus { get; init; }

    /// <summary>The telephony cause name, e.g. NORMAL_CLEARING, USER_BUSY.</summary>
    public string? HangupCause { get; init; }

    public int? HangupCauseCode { get; init; }

    /// <summary>Plivo's readable cause, e.g. "Busy Line".</summary>
    public string? HangupCauseName { get; init; }

    public string? HangupSource { get; init; }

    public DateTimeOffset? AnswerTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    public int? Duration { get; init; }

    public int? BillDuration { get; init; }

    /// <summary>Where the result came from, for the record: "hangup callback", "call detail record", …</summary>
    public string Source { get; init; } = "hangup callback";
}
