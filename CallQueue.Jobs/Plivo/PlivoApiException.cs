using System.Net;

namespace CallQueue.Jobs.Plivo;

/// <summary>
/// Plivo answered a request with a non-2xx status. <see cref="IsTransient"/> is true for 429 and 5xx, which may be
/// retried later; 400/401/403/404 and the rest are permanent for that request (reference/plivo-voice-api.md §3.1).
/// </summary>
public sealed class PlivoApiException : Exception
{
    public PlivoApiException()
    {
    }

    public PlivoApiException(string message)
        : base(message)
    {
    }

    public PlivoApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PlivoApiException(HttpStatusCode statusCode, string? error, string? apiId)
        : base(Describe(statusCode, error))
    {
        StatusCode = statusCode;
        Error = error;
        ApiId = apiId;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Plivo's <c>error</c> text, when the body had one.</summary>
    public string? Error { get; }

    public string? ApiId { get; }

    public bool IsTransient => StatusCode == HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;

    private static string Describe(HttpStatusCode statusCode, string? error) =>
        string.IsNullOrWhiteSpace(error)
            ? $"Plivo answered {(int)statusCode} {statusCode}"
            : $"Plivo answered {(int)statusCode} {statusCode}: {error}";
}
