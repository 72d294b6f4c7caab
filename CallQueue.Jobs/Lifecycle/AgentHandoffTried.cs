namespace CallQueue.Jobs.Lifecycle;

/// <summary>One try of handing attempt <paramref name="Attempt"/>'s call to the agent server (/start-call); <paramref name="Error"/> null when it took it.</summary>
public sealed record AgentHandoffTried(int Attempt, int? StatusCode, string? Error) : CallEvent;
