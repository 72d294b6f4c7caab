using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Agent;

internal static partial class Log
{
    [LoggerMessage(7001, LogLevel.Information, "Call {CallId}: agent server notified of attempt {Attempt} (try {Try})")]
    public static partial void AgentNotified(ILogger logger, string callId, int attempt, int @try);

    [LoggerMessage(7002, LogLevel.Warning, "Call {CallId}: agent server did not take attempt {Attempt} (try {Try} of {Tries}): {Error}")]
    public static partial void AgentTryFailed(ILogger logger, string callId, int attempt, int @try, int tries, string error);

    [LoggerMessage(7003, LogLevel.Information, "Call {CallId}: agent not notified of attempt {Attempt} ({Reason})")]
    public static partial void AgentNotNotified(ILogger logger, string callId, int attempt, string reason);
}
