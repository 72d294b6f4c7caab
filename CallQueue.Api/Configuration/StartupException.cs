namespace CallQueue.Api.Configuration;

/// <summary>A start-up check failed; the message is the one line the operator needs.</summary>
public sealed class StartupException : Exception
{
    public StartupException()
    {
    }

    public StartupException(string message)
        : base(message)
    {
    }

    public StartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
