namespace CallQueue.Api.Health;

public sealed record HealthResponse(
    string Status,
    bool Healthy,
    DateTimeOffset CheckedAt,
    IReadOnlyDictionary<string, HealthCheck> Checks,
    IReadOnlyList<string> Warnings);
