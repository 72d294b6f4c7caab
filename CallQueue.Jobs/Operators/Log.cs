using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Operators;

internal static partial class Log
{
    [LoggerMessage(9001, LogLevel.Information, "Call {CallId}: requeued by operator via the {Via} (job {JobId}); next attempt {Attempt} of {Budget}")]
    public static partial void Requeued(ILogger logger, string callId, string jobId, string via, int attempt, int budget);

    [LoggerMessage(9002, LogLevel.Warning, "Call {CallId}: requeue via the {Via} refused (job {JobId}): {Reason}")]
    public static partial void RequeueRefused(ILogger logger, string callId, string jobId, string via, string reason);

    [LoggerMessage(9003, LogLevel.Error, "Call {CallId}: requeued via the dashboard (job {JobId}), but its audit entry was not recorded: {Error}")]
    public static partial void AuditNotRecorded(ILogger logger, string callId, string jobId, string error);

    [LoggerMessage(8101, LogLevel.Information, "Call {CallId}: cancelled by request; {Detail}")]
    public static partial void Cancelled(ILogger logger, string callId, string detail);

    [LoggerMessage(8102, LogLevel.Warning, "Call {CallId}: cancelled by request, but Plivo did not confirm the cancellation: {Error}")]
    public static partial void PlivoCancelFailed(ILogger logger, string callId, string error);

    [LoggerMessage(8201, LogLevel.Information, "Call {CallId}: requeued by operator via the API (job {JobId})")]
    public static partial void RequeuedViaApi(ILogger logger, string callId, string? jobId);

    [LoggerMessage(8202, LogLevel.Information, "Bulk requeue of campaign {CampaignId}: {Summary}")]
    public static partial void BulkRequeued(ILogger logger, string campaignId, string summary);
}
