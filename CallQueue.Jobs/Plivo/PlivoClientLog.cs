using System.Net;
using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Plivo;

/// <summary>Source-generated log messages of <see cref="PlivoClient"/>. Never the auth token; numbers masked.</summary>
internal static partial class PlivoClientLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Plivo accepted call to {MaskedTo}: request_uuid {RequestUuid}, {PlivoMessage}")]
    public static partial void CallAccepted(this ILogger logger, string maskedTo, string requestUuid, string? plivoMessage);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Plivo answered {StatusCode} to {Operation} (api_id {ApiId}, transient {Transient})")]
    public static partial void ApiError(this ILogger logger, string operation, int statusCode, string? apiId, bool transient);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "No answer from Plivo to {Operation}; request may have been sent: {MayHaveBeenSent}")]
    public static partial void NoAnswer(this ILogger logger, Exception exception, string operation, bool mayHaveBeenSent);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Plivo answered {StatusCode} to {Operation} but the answer could not be understood: {Problem}")]
    public static partial void ProtocolError(this ILogger logger, string operation, HttpStatusCode statusCode, string problem);
}
