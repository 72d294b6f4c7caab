namespace CallQueue.Jobs.Plivo;

/// <summary>
/// The call detail record of an ended call (<c>GET /Call/{uuid}/</c>, reference/plivo-voice-api.md §6). Timestamps
/// are kept as Plivo sent them (<c>2017-05-22 17:49:40+05:30</c>); parse them with <see cref="PlivoTimestamp"/>.
/// </summary>
public sealed record CallDetailRecord
{
    public string? CallUuid { get; init; }

    public string? CallDirection { get; init; }

    public string? FromNumber { get; init; }

    public string? ToNumber { get; init; }

    public string? InitiationTime { get; init; }

    /// <summary>Null or empty when the call was never answered.</summary>
    public string? AnswerTime { get; init; }

    public string? EndTime { get; init; }

    /// <summary>Seconds from answer to hangup.</summary>
    public int? CallDuration { get; init; }

    /// <summary>Seconds billed; 0 when unanswered.</summary>
    public int? BillDuration { get; init; }

    public int? HangupCauseCode { get; init; }

    public string? HangupCauseName { get; init; }

    public string? HangupSource { get; init; }

    public string? CallState { get; init; }

    /// <summary>Answered when an answer time is present or anything was billed (reference §4.5).</summary>
    public bool IsAnswered => !string.IsNullOrWhiteSpace(AnswerTime) || BillDuration > 0;
}
