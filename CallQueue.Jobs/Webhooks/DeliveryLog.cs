using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Webhooks;

/// <summary>Webhook delivery's log lines (94xx). Never the body (it carries phone numbers), the secret or the bearer key.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(9401, LogLevel.Information, "Webhook {EventId} ({Type}, call {CallId}) delivered to {Target} on try {Try} in {LatencyMs} ms (job {JobId})")]
    public static partial void Delivered(ILogger logger, string eventId, string type, string? callId, string target, int @try, long latencyMs, string? jobId);

    [LoggerMessage(9402, LogLevel.Warning, "Webhook {EventId} ({Type}) to {Target}: try {Try} failed: {Error}; next try in {Delay}")]
    public static partial void TryFailed(ILogger logger, string eventId, string type, string target, int @try, string error, string delay);

    [LoggerMessage(9403, LogLevel.Error, "Webhook {EventId} ({Type}) to {Target} given up after try {Try}: {Error}")]
    public static partial void GivenUp(ILogger logger, string eventId, string type, string target, int @try, string error);

    [LoggerMessage(9404, LogLevel.Error, "Webhook endpoint {Target} answered 410 Gone to event {EventId}: nothing more is sent there")]
    public static partial void EndpointGone(ILogger logger, string target, string eventId);

    [LoggerMessage(9405, LogLevel.Information, "Webhook {EventId} not sent: {Reason}")]
    public static partial void NotSent(ILogger logger, string eventId, string reason);

    [LoggerMessage(9406, LogLevel.Debug, "Webhook {EventId} waits for event {Sequence} of call {CallId} ({Status})")]
    public static partial void WaitingForPrevious(ILogger logger, string eventId, long sequence, string callId, string status);
}
