namespace CallQueue.Jobs.Agent;

/// <summary>
/// Thrown by <see cref="NotifyAgentJob"/> when the agent server did not accept /start-call after the job's own tries; the
/// failure is on the call record (<c>agent</c>), and Hangfire's AutomaticRetry runs the job again a few times.
/// </summary>
public sealed class AgentNotificationException : Exception
{
    public AgentNotificationException()
    {
    }

    public AgentNotificationException(string message)
        : base(message)
    {
    }

    public AgentNotificationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
