namespace CallQueue.Jobs.Plivo;

/// <summary>
/// A call request Plivo accepted but has not dialled yet (<c>GET /Call/{uuid}/?status=queued</c>, §6), e.g. while the
/// account is over its CPS. Plivo's documented fixture has no request_uuid; the sandbox adds it.
/// </summary>
public sealed record QueuedCall
{
    public string? CallUuid { get; init; }

    public string? RequestUuid { get; init; }

    /// <summary><c>queued</c>.</summary>
    public string? CallStatus { get; init; }

    public string? Direction { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? CallerName { get; init; }
}
