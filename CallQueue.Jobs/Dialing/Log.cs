using Microsoft.Extensions.Logging;

namespace CallQueue.Jobs.Dialing;

internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Call {CallId}: dialing {PhoneNumber}, attempt {Attempt} of {Budget}")]
    public static partial void Dialing(ILogger logger, string callId, string phoneNumber, int attempt, int budget);

    [LoggerMessage(1002, LogLevel.Information, "Call {CallId}: Plivo accepted attempt {Attempt} (request_uuid {RequestUuid}, {Message})")]
    public static partial void PlivoAccepted(ILogger logger, string callId, int attempt, string requestUuid, string? message);

    [LoggerMessage(1003, LogLevel.Warning, "Call {CallId}: attempt {Attempt} failed: {Reason}")]
    public static partial void AttemptFailed(ILogger logger, string callId, int attempt, string reason);

    [LoggerMessage(1004, LogLevel.Information, "Call {CallId}: nothing to dial ({Reason})")]
    public static partial void NothingToDial(ILogger logger, string callId, string reason);

    [LoggerMessage(1005, LogLevel.Warning, "Call {CallId}: job {JobId} is not the call's dial job ({OwnerJobId}); it does nothing")]
    public static partial void Superseded(ILogger logger, string callId, string jobId, string? ownerJobId);

    [LoggerMessage(1006, LogLevel.Error, "Call {CallId}: attempt {Attempt} has an unknown result: {Reason}")]
    public static partial void UnknownResult(ILogger logger, string callId, int attempt, string reason);

    [LoggerMessage(1007, LogLevel.Warning, "Call {CallId}: attempt {Attempt} was found at Plivo (call_uuid {CallUuid}) after the dialer restarted; not dialed again")]
    public static partial void AdoptedFromPlivo(ILogger logger, string callId, int attempt, string callUuid);

    [LoggerMessage(1008, LogLevel.Warning, "Call {CallId}: attempt {Attempt} was claimed by a dialer that stopped before sending it; given back and dialed now")]
    public static partial void NeverSentGivenBack(ILogger logger, string callId, int attempt);

    [LoggerMessage(1009, LogLevel.Warning, "Call {CallId}: attempt {Attempt} was sent but Plivo's answer was lost ({Reason}); settling it from Plivo's callbacks, lists and records")]
    public static partial void AnswerLost(ILogger logger, string callId, int attempt, string reason);

    [LoggerMessage(1010, LogLevel.Debug, "Call {CallId}: attempt {Attempt} missed its rate grant's send deadline (the worker stalled); taking a new grant")]
    public static partial void GrantGoneStale(ILogger logger, string callId, int attempt);

    [LoggerMessage(1011, LogLevel.Information, "Call {CallId}: {PhoneNumber} held by the {Rule} rule until {Until}; no attempt used")]
    public static partial void Held(ILogger logger, string callId, string phoneNumber, string rule, DateTimeOffset until);

    [LoggerMessage(1012, LogLevel.Information, "Call {CallId}: {PhoneNumber} not dialed: {Status} by the {Rule} rule")]
    public static partial void Stopped(ILogger logger, string callId, string phoneNumber, string status, string rule);

    [LoggerMessage(1013, LogLevel.Information, "Call {CallId}: not dialed: {Reason}; no attempt used")]
    public static partial void CampaignHeld(ILogger logger, string callId, string reason);
}
