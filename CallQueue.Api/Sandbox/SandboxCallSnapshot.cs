namespace CallQueue.Api.Sandbox;

/// <summary>A sandbox call as it stands: its timeline and, once ended, its hangup facts (the CDR).</summary>
public sealed record SandboxCallSnapshot
{
    public required string RequestUuid { get; init; }

    public required string CallUuid { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public required SandboxOutcome Outcome { get; init; }

    /// <summary><c>queued</c>, <c>ringing</c>, <c>in-progress</c>, then the final CallStatus (<c>completed</c>, <c>busy</c>, …).</summary>
    public required string CallStatus { get; init; }

    public required DateTimeOffset InitiatedAt { get; init; }

    public DateTimeOffset? RingAt { get; init; }

    public DateTimeOffset? AnswerAt { get; init; }

    public DateTimeOffset? EndAt { get; init; }

    public string? HangupCause { get; init; }

    public int? HangupCauseCode { get; init; }

    public string? HangupCauseName { get; init; }

    public string? HangupSource { get; init; }

    /// <summary>Seconds from answer to hangup; 0 when unanswered.</summary>
    public int Duration { get; init; }

    public int BillDuration { get; init; }
}
