namespace CallQueue.Api.Calls;

/// <summary>
/// A bulk request's <c>defaults</c>: values every item gets unless it gives its own (<see cref="BulkDefaultsMerge"/>).
/// A CSV batch's <c>campaign_id</c> and <c>answer_url</c> query parameters arrive here too. Each value is checked by
/// <see cref="QueueCallRequestValidator"/> (a bad one is a 400 naming <c>defaults.…</c>, or the query parameter).
/// </summary>
public sealed record BulkDefaults
{
    public string? CampaignId { get; init; }

    /// <summary>Merged field by field under each item's <c>call_config</c>; <c>variables</c> key by key.</summary>
    public CallConfigRequest? CallConfig { get; init; }

    public string? Priority { get; init; }

    public int? MaxRetries { get; init; }

    public string? ScheduledAt { get; init; }

    public string? ExpiresAt { get; init; }
}
