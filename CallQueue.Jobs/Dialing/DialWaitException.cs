namespace CallQueue.Jobs.Dialing;

/// <summary>
/// Thrown by <see cref="DialCallJob"/> when a bounded wait for the agent, a call slot or the rate limiter ran out.
/// Waiting is not an attempt: <see cref="DialRetryFilter"/> reschedules the job after <see cref="Delay"/> with the message
/// as reason, and no attempt or retry is used.
/// </summary>
public sealed class DialWaitException : Exception
{
    public DialWaitException()
    {
    }

    public DialWaitException(string message)
        : base(message)
    {
    }

    public DialWaitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DialWaitException(string message, TimeSpan delay)
        : base(message)
    {
        Delay = delay;
    }

    public TimeSpan Delay { get; }
}
