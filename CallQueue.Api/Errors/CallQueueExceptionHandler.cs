using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
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
            RedisException or RedisTimeoutException or RedisConnectionException =>
                (StatusCodes.Status503ServiceUnavailable, "Redis connection failed", "Redis connection failed: the call was not accepted; retry later."),
            JsonException json =>
                (StatusCodes.Status400BadRequest, "Malformed JSON", JsonProblems.Describe(json)),
            BadHttpRequestException bad =>
                (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", bad.Message),
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

    [LoggerMessage(3001, LogLevel.Error, "Request failed: storage unavailable ({ExceptionType}: {Message})")]
    private static partial void LogUnavailable(ILogger logger, string exceptionType, string message);
}
