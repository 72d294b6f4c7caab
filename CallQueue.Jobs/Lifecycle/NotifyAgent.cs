namespace CallQueue.Jobs.Lifecycle;

/// <summary>Hand attempt <paramref name="Attempt"/>'s call to the agent server (a NotifyAgentJob).</summary>
public sealed record NotifyAgent(int Attempt) : CallEffect;
