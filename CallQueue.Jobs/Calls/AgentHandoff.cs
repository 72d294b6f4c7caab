namespace CallQueue.Jobs.Calls;

/// <summary>
/// How handing a placed call to the agent server went (the seed's POST {AGENT_SERVER_URL}/start-call). Concerns one dial
/// attempt, <see cref="DialAttempt"/>: a retried call is handed over again, and the record starts afresh.
/// </summary>
public sealed record AgentHandoff
{
    /// <summary>The dial attempt (<see cref="CallAttempt.Number"/>) the agent was told about.</summary>
    public required int DialAttempt { get; init; }

    /// <summary>When the agent server accepted /start-call (2xx); null while it has not.</summary>
    public DateTimeOffset? NotifiedAt { get; init; }

    /// <summary>POSTs to /start-call made for this dial attempt so far, across Hangfire's retries.</summary>
    public int Attempts { get; init; }

    /// <summary>Why the last POST failed, in words a person understands; null once one succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>HTTP status of the last answer; null when no answer came (connection refused, timeout).</summary>
    public int? LastStatusCode { get; init; }
}
