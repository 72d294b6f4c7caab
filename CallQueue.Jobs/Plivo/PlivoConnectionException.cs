namespace CallQueue.Jobs.Plivo;

/// <summary>
/// No answer came from Plivo. <see cref="RequestMayHaveBeenSent"/> is false only when the connection failed before the
/// request left (refused, DNS, TLS): such a request is safe to send again. Otherwise (timeout, connection dropped
/// mid-response) Plivo may have placed the call, and it must not be sent again blindly (DESIGN.md §3).
/// </summary>
public sealed class PlivoConnectionException : Exception
{
    public PlivoConnectionException()
    {
    }

    public PlivoConnectionException(string message)
        : base(message)
    {
    }

    public PlivoConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlivoConnectionException(string message, bool requestMayHaveBeenSent, Exception? innerException)
        : base(message, innerException)
    {
        RequestMayHaveBeenSent = requestMayHaveBeenSent;
    }

    public bool RequestMayHaveBeenSent { get; } = true;
}
