namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Thrown by the dial job when the call's campaign or batch is paused: a decision, not a fault. The dial job's retry
/// filter turns it into the Parked state with the message as reason (issue 12).
/// </summary>
public sealed class DialParkedException : Exception
{
    public DialParkedException()
    {
    }

    public DialParkedException(string message)
        : base(message)
    {
    }

    public DialParkedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
