namespace CallQueue.Api.Sandbox;

/// <summary>One make-call request the sandbox received and what it answered.</summary>
public sealed record SandboxRequestLogEntry
{
    /// <summary>When the request arrived (TimeProvider, UTC).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The Basic-auth user (the Auth ID); the password is never recorded.</summary>
    public string? AuthUser { get; init; }

    /// <summary>Top-level JSON fields: strings as they are, other values as raw JSON text.</summary>
    public required IReadOnlyDictionary<string, string> Fields { get; init; }

    public required string RawBody { get; init; }

    /// <summary>The status answered; null when the connection was dropped on purpose.</summary>
    public int? ResponseStatus { get; init; }

    public string? RequestUuid { get; init; }

    /// <summary>The scripted or random fault applied, if any.</summary>
    public SandboxFault? Fault { get; init; }
}
