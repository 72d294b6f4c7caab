namespace CallQueue.Jobs.Lifecycle;

/// <summary>
/// Thrown by the dial job when the attempt failed transiently and the call has attempts left.
/// The dial job's retry filter turns it into a Scheduled state after <see cref="Delay"/> with the message as reason.
/// </summary>
public sealed class DialRetryException : Exception
{
    public DialRetryException()
    {
    }

    public DialRetryException(string message)
        : base(message)
    {
    }

    public DialRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DialRetryException(string message, TimeSpan delay, Exception? innerException)
        : base(message, innerException)
    {
        Delay = delay;
    }

    public TimeSpan Delay { get; }
}
