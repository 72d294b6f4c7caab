namespace CallQueue.Api.Sandbox;

/// <summary>One callback the sandbox sent (ring, hangup, machine detection) and how it went.</summary>
public sealed record SandboxCallbackLogEntry
{
    public required DateTimeOffset SentAt { get; init; }

    /// <summary>The URL exactly as given in the make-call request (also the URL that was signed).</summary>
    public required string Url { get; init; }

    public required string Method { get; init; }

    /// <summary><c>Ring</c>, <c>Hangup</c> or <c>MachineDetection</c>.</summary>
    public required string Event { get; init; }

    public required string CallUuid { get; init; }

    public required string RequestUuid { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The receiver's status; null when it could not be reached.</summary>
    /// <summary>The signature headers sent (X-Plivo-Signature-V3, -Ma-V3, -V3-Nonce), so a test can replay the callback as Plivo's retries would.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public int? StatusCode { get; init; }

    public string? Error { get; init; }
}
