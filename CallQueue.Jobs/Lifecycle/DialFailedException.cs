namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Thrown by the dial job when the call needs a person: a permanent Plivo error, attempts exhausted, or an
/// attempt whose result is unknown. The job ends in Hangfire's Failed state with the message as its reason, and is
/// never retried automatically (operators requeue it from the dashboard).
/// </summary>
public sealed class DialFailedException : Exception
{
    public DialFailedException()
    {
    }

    public DialFailedException(string message)
        : base(message)
    {
    }

    public DialFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
