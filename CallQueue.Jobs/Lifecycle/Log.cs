using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Lifecycle;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Call {CallId}: attempt {Attempt} settled: {Reason}")]
    public static partial void AttemptSettled(ILogger logger, string callId, int attempt, string reason);

    [LoggerMessage(5002, LogLevel.Warning, "Reconciler settled {Settled} of {Active} active calls from Plivo's records (their hangup callbacks never came)")]
    public static partial void Reconciled(ILogger logger, int settled, int active);

    [LoggerMessage(5003, LogLevel.Warning, "Reconciler could not look call {CallId} up at Plivo: {Reason}")]
    public static partial void ReconcileFailed(ILogger logger, string callId, string reason);

    [LoggerMessage(5004, LogLevel.Warning, "Call {CallId}: ignored a callback for attempt {Attempt} that names another Plivo call (request {RequestUuid}, call {CallUuid}; the attempt's: request {AttemptRequestUuid}, call {AttemptCallUuid})")]
    public static partial void ForeignCallback(ILogger logger, string callId, int attempt, string requestUuid, string callUuid, string attemptRequestUuid, string attemptCallUuid);
}
