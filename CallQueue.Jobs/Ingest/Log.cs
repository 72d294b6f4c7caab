using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Ingest;

internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Batch {BatchId}: created {Created} dial jobs for {Total} calls")]
    public static partial void BatchJobsCreated(ILogger logger, string batchId, int created, int total);

    [LoggerMessage(2002, LogLevel.Warning, "Created {Created} dial jobs for calls that had been stored without one")]
    public static partial void SweptCalls(ILogger logger, int created);
}
