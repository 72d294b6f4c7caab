using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Pipelines.Sockets.Unofficial;
using StackExchange.Redis;

namespace CallQueue.Api.Errors;

/// <summary>
/// Turns the failures a client can act on into problem details: Redis down → 503 "Redis connection failed" (nothing was
/// accepted), malformed JSON → 400 naming the place, oversized or bad requests → their 4xx. Anything else stays a 500.
/// </summary>
internal sealed partial class CallQueueExceptionHandler(IProblemDetailsService problems, ILogger<CallQueueExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            _ when IsStorageOutage(exception, httpContext.RequestAborted) =>
                (StatusCodes.Status503ServiceUnavailable, "Redis connection failed", "Redis connection failed: nothing was changed; retry later."),
            JsonException json =>
                (StatusCodes.Status400BadRequest, "Malformed JSON", JsonProblems.Describe(json)),
            BadHttpRequestException bad =>
                (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", bad.Message),
            InvalidDataException =>
                (StatusCodes.Status400BadRequest, "Malformed request body", "The body could not be read: it is not valid for its Content-Type, or exceeds the form limits."),
            _ => (0, string.Empty, string.Empty),
        };
        if (status == 0)
        {
            return false;
        }

        if (status >= 500)
        {
            LogUnavailable(logger, exception.GetType().Name, exception.Message);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>
    /// Redis was unreachable, directly or inside another library's wrapper (Hangfire's <c>BackgroundJobClientException</c>
    /// around a <c>RedisConnectionException</c>). A cancellation the request did not ask for counts too: when a connection
    /// drops, StackExchange.Redis cancels the commands in flight on it ("A task was canceled"), or fails them with the
    /// socket's own <c>ConnectionResetException</c> ("Connection reset by peer", from its pipelines library).
    /// </summary>
    /// <param name="exception">What the request failed with.</param>
    /// <param name="requestAborted">The request's own token: a cancellation it asked for is the client leaving, not Redis.</param>
    public static bool IsStorageOutage(Exception exception, CancellationToken requestAborted)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisException or RedisTimeoutException or RedisConnectionException or ConnectionResetException
                || (current is OperationCanceledException && !requestAborted.IsCancellationRequested))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(3001, LogLevel.Error, "Request failed: storage unavailable ({ExceptionType}: {Message})")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, string message);
}
