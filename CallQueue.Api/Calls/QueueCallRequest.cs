using CallQueue.Jobs.Calls;

namespace CallQueue.Api.Calls;

/// <summary>
/// Body of POST /api/calls/queue, and one item of a bulk request (DESIGN.md §5). Every member is nullable so that
/// a missing field reaches <see cref="QueueCallRequestValidator"/> and is reported by its wire name.
/// </summary>
public sealed record QueueCallRequest
{
    /// <summary>E.164, e.g. <c>+919123456789</c>. Required.</summary>
    public string? PhoneNumber { get; init; }

    /// <summary>Required.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Required: it carries <c>answer_url</c>.</summary>
    public CallConfigRequest? CallConfig { get; init; }

    /// <summary>Becomes the call id; queuing the same one again returns the existing call.</summary>
    public string? CustomCallId { get; init; }

    /// <summary>ISO 8601 date and time; no offset means UTC. Kept as text so a bad value is a field error.</summary>
    public string? ScheduledAt { get; init; }

    /// <summary>
    /// ISO 8601 date and time (as <see cref="ScheduledAt"/>): a call not placed by then is never dialed (status
    /// <c>expired</c>). In the future, and after <see cref="ScheduledAt"/> when both are given.
    /// </summary>
    public string? ExpiresAt { get; init; }

    /// <summary><c>low</c>, <c>normal</c> (default), <c>high</c> or <c>urgent</c>, any case.</summary>
    public string? Priority { get; init; }

    /// <summary>Attempts after the first; default <see cref="CallRequestLimits.DefaultMaxRetries"/>.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>The priority, or null when not given (meaning <see cref="CallPriority.Normal"/>). Call after validation.</summary>
    /// <exception cref="FormatException">The priority is not one of low, normal, high, urgent.</exception>
    public CallPriority? ParsePriority()
    {
        if (Priority is null)
        {
            return null;
        }

        return RequestFormats.TryParsePriority(Priority, out var priority)
            ? priority
            : throw new FormatException("priority must be one of low, normal, high, urgent.");
    }

    /// <summary>When to dial, or null when not given (meaning now). Call after validation.</summary>
    /// <exception cref="FormatException">The value is not an ISO 8601 date and time.</exception>
    public DateTimeOffset? ParseScheduledAt()
    {
        if (ScheduledAt is null)
        {
            return null;
        }

        return RequestFormats.TryParseIsoDateTime(ScheduledAt, out var scheduledAt)
            ? scheduledAt
            : throw new FormatException("scheduled_at must be an ISO 8601 date and time.");
    }

    /// <summary>The deadline, or null when not given. Call after validation.</summary>
    /// <exception cref="FormatException">The value is not an ISO 8601 date and time.</exception>
    public DateTimeOffset? ParseExpiresAt()
    {
        if (ExpiresAt is null)
        {
            return null;
        }

        return RequestFormats.TryParseIsoDateTime(ExpiresAt, out var expiresAt)
            ? expiresAt
            : throw new FormatException("expires_at must be an ISO 8601 date and time.");
    }
}
