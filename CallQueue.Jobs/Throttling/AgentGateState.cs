namespace CallQueue.Jobs.Throttling;

/// <summary>Whether calls may be placed as far as the agent server is concerned, why not, and since when.</summary>
public sealed record AgentGateState(bool IsOpen, string? Reason, DateTimeOffset Since, DateTimeOffset? LastCheckedAt);
