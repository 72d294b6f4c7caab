using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Operators;

internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Information, "Call {CallId}: requeued by operator via the {Via} (job {JobId}); next attempt {Attempt} of {Budget}")]
    public static partial void Requeued(ILogger logger, string callId, string jobId, string via, int attempt, int budget);

    [LoggerMessage(9002, LogLevel.Warning, "Call {CallId}: requeue via the {Via} refused (job {JobId}): {Reason}")]
    public static partial void RequeueRefused(ILogger logger, string callId, string jobId, string via, string reason);
}
