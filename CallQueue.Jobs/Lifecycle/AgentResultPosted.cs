using CallQueue.Jobs.Calls;

namespace CallQueue.Jobs.Lifecycle;

/// <summary>The agent server posted its end-of-call result; posting again replaces it.</summary>
public sealed record AgentResultPosted(AgentResult Result) : CallEvent;
