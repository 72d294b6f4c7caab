using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Campaigns;

internal static partial class Log
{
    [LoggerMessage(12001, LogLevel.Information, "{Target}: {From} → {To} by {Actor}")]
    public static partial void Changed(ILogger logger, string target, string from, string to, string actor);

}
