using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Throttling;

internal static partial class Log
{
    [LoggerMessage(7201, LogLevel.Warning, "{Count} call slot lease(s) expired and were reclaimed: a process died or a hangup callback was lost")]
    public static partial void LeasesReclaimed(ILogger logger, long count);

    [LoggerMessage(7202, LogLevel.Debug, "Listening on {Channel} for freed call slots")]
    public static partial void Subscribed(ILogger logger, string channel);

    [LoggerMessage(7203, LogLevel.Warning, "Could not subscribe to {Channel}: waits for a call slot end only on this process's releases or their timeout")]
    public static partial void SubscribeFailed(ILogger logger, string channel, Exception exception);
}
