namespace CallQueue.Api.Webhooks;

/// <summary>
/// Body of POST /api/webhooks/redeliver: events recorded in [<see cref="From"/>, <see cref="To"/>) (ISO 8601), optionally
/// of one <see cref="Type"/> and in one <see cref="Status"/> (<c>failed</c>, <c>gone</c>, <c>delivered</c>, <c>pending</c>).
/// </summary>
public sealed record RedeliverRequest
{
    public string? From { get; init; }

    public string? To { get; init; }

    public string? Type { get; init; }

    public string? Status { get; init; }
}
