namespace CallQueue.Jobs.Safety;

/// <summary>Who listed a number: a client through <c>POST /api/dnc</c>, or the agent's opt-out in its call result.</summary>
public enum DoNotCallSource
{
    Api,
    Agent,
}
