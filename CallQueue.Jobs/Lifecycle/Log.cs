using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Lifecycle;

internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Call {CallId}: attempt {Attempt} settled: {Reason}")]
    public static partial void AttemptSettled(ILogger logger, string callId, int attempt, string reason);
}
