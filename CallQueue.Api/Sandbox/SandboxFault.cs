namespace CallQueue.Api.Sandbox;

/// <summary>
/// A scripted answer to one make-call request: wait <see cref="DelayMilliseconds"/> first, then either drop the
/// connection (<see cref="Abort"/>), answer <see cref="StatusCode"/> with <c>{"api_id","error"}</c> (the call is not
/// placed), or, with neither, handle the request normally (a slow but successful answer: the call is placed).
/// </summary>
public sealed record SandboxFault
{
    public int? StatusCode { get; init; }

    public int DelayMilliseconds { get; init; }

    public bool Abort { get; init; }

    /// <summary>
    /// With a delay and no status or abort: the call is placed at once (its callbacks start) and only the answer waits,
    /// as when Plivo fires a call but its response is slow to come back.
    /// </summary>
    public bool PlaceFirst { get; init; }

    /// <summary>The <c>error</c> text of the answer; default: a generic text for the status.</summary>
    public string? Error { get; init; }
}
