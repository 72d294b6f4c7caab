namespace CallQueue.Api.Health;

/// <summary>One dependency's state; <see cref="Warning"/> carries a development default worth announcing.</summary>
public sealed record HealthCheck(HealthStatus Status, string Detail, double? LatencyMs, string? Warning = null);
