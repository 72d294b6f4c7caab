namespace CallQueue.Jobs.Calls;

/// <summary>One dial attempt of a call, as recorded before and after the Plivo request (DESIGN.md §3).</summary>
public sealed record CallAttempt
{
    public required int Number { get; init; }

    /// <summary>When the attempt was claimed, just before the request to Plivo was sent.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The Hangfire job that made the attempt.</summary>
    public string? JobId { get; init; }

    /// <summary>
    /// Fencing token of the run that claimed the attempt: only that run may send its request, and only after recording
    /// <see cref="SentAt"/> under the same token. A re-run that takes over a claim never sent gives it a new token, so a
    /// stalled first run can no longer send. Null on attempts claimed before tokens existed (treated as maybe sent).
    /// </summary>
    public string? ClaimToken { get; init; }

    /// <summary>
    /// When the request to Plivo was about to leave (recorded just before it is sent). An attempt with a claim token and
    /// no SentAt was never sent: a re-run gives it back and dials instead of asking a person to check Plivo.
    /// </summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>Plivo's request_uuid once it accepted the request; null while the answer is unknown.</summary>
    public string? RequestUuid { get; init; }

    public string? CallUuid { get; init; }

    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>When Plivo reported the callee's phone ringing (ring callback).</summary>
    public DateTimeOffset? RingingAt { get; init; }

    /// <summary>When the callee (or a machine) picked up, from Plivo's AnswerTime.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Plivo's machine detection said a machine answered.</summary>
    public bool? MachineDetected { get; init; }

    /// <summary>Where the outcome came from: "hangup callback", "call detail record", "dialer".</summary>
    public string? ResultSource { get; init; }

    public CallOutcome? Outcome { get; init; }

    public string? HangupCause { get; init; }

    public string? HangupCauseName { get; init; }

    public string? HangupSource { get; init; }

    public int? HangupCauseCode { get; init; }

    public int? Duration { get; init; }

    public int? BillDuration { get; init; }

    /// <summary>What went wrong, in words a person understands.</summary>
    public string? Error { get; init; }
}
