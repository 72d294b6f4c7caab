namespace CallQueue.Api.Calls;

/// <summary>
/// Body of POST /api/calls/bulk-queue. <see cref="BulkQueueRequestValidator"/> checks the envelope only; each item
/// is validated on its own with <see cref="QueueCallRequestValidator"/>, so valid items are queued and invalid ones
/// reported by index. Items may be null (a JSON <c>null</c> in the array).
/// </summary>
public sealed record BulkQueueRequest
{
    /// <summary>Optional; 1..128 characters of <c>[A-Za-z0-9._:-]</c>. Re-posting the same batch creates no new calls.</summary>
    public string? BatchId { get; init; }

    /// <summary>
    /// Optional deadline (ISO 8601, in the future) for every call of the batch that gives no <c>expires_at</c> of its own
    /// (nor <c>defaults.expires_at</c>, which wins over it).
    /// </summary>
    public string? ExpiresAt { get; init; }

    /// <summary>Values merged under every item (item fields win); see <see cref="BulkDefaultsMerge"/>.</summary>
    public BulkDefaults? Defaults { get; init; }

    /// <summary>1..<see cref="CallRequestLimits.MaxBatchSize"/> calls.</summary>
    public IReadOnlyList<QueueCallRequest?>? Calls { get; init; }
}
