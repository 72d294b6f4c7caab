namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Thrown by the dial job when a callee-safety rule ended the call without dialing it (expired, blocked): a decision,
/// not a fault. The dial job's retry filter turns it into a Deleted state with the message as reason.
/// </summary>
public sealed class DialStoppedException : Exception
{
    public DialStoppedException()
    {
    }

    public DialStoppedException(string message)
        : base(message)
    {
    }

    public DialStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
