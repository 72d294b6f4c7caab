namespace CallQueue.Jobs.Plivo;

/// <summary>A call Plivo reports as live (<c>GET /Call/{uuid}/?status=live</c>, reference/plivo-voice-api.md §6).</summary>
public sealed record LiveCall
{
    public string? CallUuid { get; init; }

    public string? RequestUuid { get; init; }

    /// <summary><c>ringing</c> or <c>in-progress</c>.</summary>
    public string? CallStatus { get; init; }

    public string? Direction { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? CallerName { get; init; }

    public string? SessionStart { get; init; }
}
