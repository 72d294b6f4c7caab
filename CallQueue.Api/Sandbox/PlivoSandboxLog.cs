namespace CallQueue.Api.Sandbox;

/// <summary>Source-generated log messages of the Plivo sandbox. Numbers masked, no tokens, callback URLs without query.</summary>
internal static partial class PlivoSandboxLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Sandbox accepted call request {RequestUuid} to {MaskedTo}: outcome {Outcome}")]
    public static partial void CallAccepted(this ILogger logger, string requestUuid, string maskedTo, SandboxOutcome outcome);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Sandbox call {CallUuid} ended: {HangupCauseCode} {HangupCauseName}")]
    public static partial void CallEnded(this ILogger logger, string callUuid, int hangupCauseCode, string hangupCauseName);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Sandbox fault on a make-call request: status {StatusCode}, delay {DelayMilliseconds} ms, abort {Abort}")]
    public static partial void FaultInjected(this ILogger logger, int? statusCode, int delayMilliseconds, bool abort);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Sandbox refused a make-call request: {StatusCode} {Error}")]
    public static partial void RequestRefused(this ILogger logger, int statusCode, string error);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Sandbox {Event} callback of call {CallUuid} to {Target} answered {StatusCode}")]
    public static partial void CallbackRejected(this ILogger logger, string @event, string callUuid, string target, int statusCode);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Sandbox {Event} callback of call {CallUuid} to {Target} failed")]
    public static partial void CallbackFailed(this ILogger logger, Exception exception, string @event, string callUuid, string target);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Sandbox {Event} callback of call {CallUuid} skipped: the URL is not an absolute http(s) URL")]
    public static partial void CallbackUrlInvalid(this ILogger logger, string @event, string callUuid);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Error, Message = "Sandbox background work failed")]
    public static partial void BackgroundWorkFailed(this ILogger logger, Exception exception);
}
